package io.agenthub.client;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Every failure of a hub call: the hub's RFC 9457 problem details ({@code application/problem+json}) as one exception
 * family, one subtype per status, so callers catch what they can act on ({@link Conflict} for a held lease,
 * {@link RateLimited} to wait {@link #retryAfter()}) and let the rest through. {@link Unreachable} means no hub URL
 * answered at all.
 *
 * <p>{@link #getMessage()} is the hub's {@code detail}: a sentence that says what to do next. The problem's other
 * members ({@code holder}, {@code expiresAt}, {@code limit}, ...) are in {@link #members()}.
 */
public abstract sealed class HubProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final String instance;
    private final transient Map<String, JsonNode> members;
    private final Duration retryAfter;

    HubProblem(ProblemDetails p, Throwable cause) {
        super(p.detail(), cause);
        this.status = p.status();
        this.code = p.code();
        this.title = p.title();
        this.instance = p.instance();
        this.members = Map.copyOf(p.members());
        this.retryAfter = p.retryAfter();
    }

    /** The HTTP status; 0 for {@link Unreachable}. */
    public int status() {
        return status;
    }

    /** The hub's machine-readable code, e.g. {@code lease_held}, {@code not_holder}, {@code unauthenticated}. */
    public String code() {
        return code;
    }

    /** The status' title, e.g. {@code Conflict}. */
    public String title() {
        return title;
    }

    /** The sentence that explains the refusal and says what to do next. */
    public String detail() {
        return getMessage();
    }

    /** The request path the problem is about, or null. */
    public String instance() {
        return instance;
    }

    /** Members beyond type, title, status, detail, instance and code. */
    public Map<String, JsonNode> members() {
        return members;
    }

    /** A member as text ({@code holder}, {@code expiresAt}, {@code resource}, ...), if present. */
    public Optional<String> member(String name) {
        JsonNode v = members.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.isValueNode() ? v.asString() : v.toString());
    }

    /** How long the hub asks to wait before retrying (the {@code Retry-After} header), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The problem as the hub sent it (or, for {@link Unreachable}, as the client describes it). */
    record ProblemDetails(
            int status,
            String code,
            String title,
            String detail,
            String instance,
            Map<String, JsonNode> members,
            Duration retryAfter) {}

    /** Maps a problem to its subtype by status. */
    static HubProblem of(ProblemDetails p) {
        return switch (p.status()) {
            case 400 -> new BadRequest(p);
            case 401 -> new Unauthenticated(p);
            case 403 -> new Forbidden(p);
            case 404 -> new NotFound(p);
            case 409 -> new Conflict(p);
            case 413 -> new TooLarge(p);
            case 429 -> new RateLimited(p);
            case 503 -> new Unavailable(p);
            default -> new Failed(p);
        };
    }

    /** 400: the request is malformed or a field is out of range ({@code field} names it). */
    public static final class BadRequest extends HubProblem {
        private static final long serialVersionUID = 1L;

        BadRequest(ProblemDetails p) {
            super(p, null);
        }
    }

    /** 401: no token, or a token the hub does not know (revoked, rotated out, disabled agent). */
    public static final class Unauthenticated extends HubProblem {
        private static final long serialVersionUID = 1L;

        Unauthenticated(ProblemDetails p) {
            super(p, null);
        }
    }

    /** 403: the caller may not do this (a viewer writing, an agent using an admin route, another's lease token). */
    public static final class Forbidden extends HubProblem {
        private static final long serialVersionUID = 1L;

        Forbidden(ProblemDetails p) {
            super(p, null);
        }
    }

    /** 404: no such agent, message, handoff, memory, lease or route. */
    public static final class NotFound extends HubProblem {
        private static final long serialVersionUID = 1L;

        NotFound(ProblemDetails p) {
            super(p, null);
        }
    }

    /**
     * 409: the state refuses the call. For {@code lease_held}, {@link #holder()} and {@link #expiresAt()} say who has
     * the lease and until when; for {@code not_holder}, the grant the token named is over.
     */
    public static final class Conflict extends HubProblem {
        private static final long serialVersionUID = 1L;

        Conflict(ProblemDetails p) {
            super(p, null);
        }

        /** The agent that holds the resource, if the hub named one. */
        public Optional<String> holder() {
            return member("holder");
        }

        /** Until when the holder has it, if the hub said. */
        public Optional<java.time.Instant> expiresAt() {
            return member("expiresAt").map(java.time.Instant::parse);
        }
    }

    /** 413: the body exceeds the hub's limit ({@code limit}). */
    public static final class TooLarge extends HubProblem {
        private static final long serialVersionUID = 1L;

        TooLarge(ProblemDetails p) {
            super(p, null);
        }
    }

    /** 429: the fleet is throttled; retry after {@link #retryAfter()}. */
    public static final class RateLimited extends HubProblem {
        private static final long serialVersionUID = 1L;

        RateLimited(ProblemDetails p) {
            super(p, null);
        }
    }

    /** 503 from every URL tried: the hub is degraded, halted or shutting down; retry after {@link #retryAfter()}. */
    public static final class Unavailable extends HubProblem {
        private static final long serialVersionUID = 1L;

        Unavailable(ProblemDetails p) {
            super(p, null);
        }
    }

    /** Any other status, such as 500 (with an {@code errorId} to report) or 405. */
    public static final class Failed extends HubProblem {
        private static final long serialVersionUID = 1L;

        Failed(ProblemDetails p) {
            super(p, null);
        }
    }

    /**
     * No hub URL answered: connections refused or timed out, or (for a call that may have reached a hub) the connection
     * failed mid-way. The cause is the last I/O failure.
     */
    public static final class Unreachable extends HubProblem {
        private static final long serialVersionUID = 1L;

        Unreachable(String detail, String instance, Throwable cause) {
            super(new ProblemDetails(0, "unreachable", "Unreachable", detail, instance, Map.of(), null), cause);
        }
    }
}
