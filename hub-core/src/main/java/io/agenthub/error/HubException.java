package io.agenthub.error;

import java.time.Duration;
import java.util.Map;

/**
 * The one error family of the hub. Every protocol adapter maps it once, with an exhaustive switch, so a new kind
 * cannot go unmapped. Messages are whole sentences that say what to do next; {@link #details()} carries the
 * machine-readable facts (holder, expiry, limits).
 */
public abstract sealed class HubException extends RuntimeException {
    private final transient Map<String, Object> details;

    HubException(String message, Map<String, Object> details, Throwable cause) {
        // Domain outcomes, not bugs: no stack trace is captured (a refused lease under contention is a hot path).
        // A wrapped driver failure keeps its own stack trace as the cause.
        super(message, cause, false, false);
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Facts that explain the failure; never secrets. */
    public Map<String, Object> details() {
        return details;
    }

    /** A short stable code, e.g. {@code lease_held}, for clients that branch on the kind of failure. */
    public abstract String code();

    /** The request itself is malformed or violates a rule (HTTP 400). */
    public static final class InvalidRequest extends HubException {
        public InvalidRequest(String message) {
            this(message, Map.of());
        }

        public InvalidRequest(String message, Map<String, Object> details) {
            super(message, details, null);
        }

        @Override
        public String code() {
            return "invalid_request";
        }
    }

    /** No credential, or one the hub does not accept (HTTP 401). */
    public static final class Unauthenticated extends HubException {
        public Unauthenticated(String message) {
            super(message, Map.of(), null);
        }

        @Override
        public String code() {
            return "unauthenticated";
        }
    }

    /** The caller is known but may not do this (HTTP 403). */
    public static final class Forbidden extends HubException {
        private final String code;

        public Forbidden(String message) {
            this("forbidden", message, Map.of());
        }

        /** A refusal with its own code, e.g. {@code agent_disabled}. */
        public Forbidden(String code, String message, Map<String, Object> details) {
            super(message, details, null);
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    /** The named thing does not exist (HTTP 404). */
    public static final class NotFound extends HubException {
        public NotFound(String message) {
            super(message, Map.of(), null);
        }

        @Override
        public String code() {
            return "not_found";
        }
    }

    /** The operation conflicts with current state, e.g. a lease held by someone else (HTTP 409). */
    public static final class Conflict extends HubException {
        private final String code;

        public Conflict(String code, String message, Map<String, Object> details) {
            super(message, details, null);
            this.code = code;
        }

        /**
         * A write refused at a storage quota: {@code quota_exceeded}, with the quota's setting and limit in the details
         * (counted as a security event). {@code message} names the quota and says how to free space.
         */
        public static Conflict quotaExceeded(String quota, long limit, String message) {
            return new Conflict("quota_exceeded", message, Map.<String, Object>of("quota", quota, "limit", limit));
        }

        @Override
        public String code() {
            return code;
        }
    }

    /** A payload or value exceeds a configured bound (HTTP 413). */
    public static final class TooLarge extends HubException {
        public TooLarge(String message, Map<String, Object> details) {
            super(message, details, null);
        }

        @Override
        public String code() {
            return "too_large";
        }
    }

    /** The caller exceeded a rate or queue bound and should retry later (HTTP 429). */
    public static final class RateLimited extends HubException {
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super(message, Map.of("retryAfterSeconds", retryAfter.toSeconds()), null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public String code() {
            return "rate_limited";
        }
    }

    /** The hub cannot serve this now, e.g. its store is unreachable; retry after the given delay (HTTP 503). */
    public static final class Unavailable extends HubException {
        private final Duration retryAfter;
        private final String code;

        public Unavailable(String message, Duration retryAfter, Throwable cause) {
            super(message, Map.of("retryAfterSeconds", retryAfter.toSeconds()), cause);
            this.retryAfter = retryAfter;
            this.code = "unavailable";
        }

        /**
         * A deliberate refusal with its own {@code code}, e.g. {@code tier_restricted} while the hub is degraded.
         * {@code details} come on top of {@code retryAfterSeconds}.
         */
        public Unavailable(String code, String message, Duration retryAfter, Map<String, Object> details) {
            super(message, withRetry(details, retryAfter), null);
            this.retryAfter = retryAfter;
            this.code = code;
        }

        private static Map<String, Object> withRetry(Map<String, Object> details, Duration retryAfter) {
            Map<String, Object> all = new java.util.LinkedHashMap<>(details);
            all.put("retryAfterSeconds", retryAfter.toSeconds());
            return all;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public String code() {
            return code;
        }
    }
}
