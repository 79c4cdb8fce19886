package io.agenthub.audit;

import java.util.Objects;

/**
 * A count of security events of one kind, by one subject, with one detail, over some period (one minute as stored,
 * or a report's period as summed). Refusals are security events: a call without a token or with a bad one (subject:
 * the client address), a forbidden call (subject: the agent, detail: the route), a rate-limit or quota refusal
 * (detail: the limit), a privileged label change (subject: the agent, detail: the label), text cleaned, redacted or
 * flagged (subject: the author, detail: what was found).
 *
 * @param kind {@link Kind#key()}
 * @param subject who: an agent id or a client address; {@link SecurityEvents#OTHERS} for the overflow of a minute
 * @param detail what: a route, a limit's setting, a label, a kind of secret or pattern; may be empty
 */
public record SecurityEvent(String kind, String subject, String detail, long count) {
    /** The order of {@link AuditStore#securityEvents}: largest count first, then kind, subject, detail. */
    public static final java.util.Comparator<SecurityEvent> ORDER = java.util.Comparator.comparingLong(
                    SecurityEvent::count)
            .reversed()
            .thenComparing(SecurityEvent::kind)
            .thenComparing(SecurityEvent::subject)
            .thenComparing(SecurityEvent::detail);

    /** What happened; {@link #key()} is the stored and scraped name. */
    public enum Kind {
        UNAUTHENTICATED("unauthenticated", "calls without a token"),
        BAD_TOKEN("bad_token", "calls with an unknown, revoked or expired token"),
        FORBIDDEN("forbidden", "forbidden calls"),
        RATE_LIMITED("rate_limited", "calls over a rate limit"),
        QUOTA_REFUSED("quota_refused", "writes refused at a storage quota"),
        PRIVILEGED_LABEL("privileged_label", "privileged label changes"),
        SANITISED("sanitised", "control, escape and invisible characters removed from agents' text"),
        REDACTED("redacted", "secrets redacted from agents' text"),
        INJECTION_FLAG("injection_flag", "texts flagged as possible prompt injection");

        private final String key;
        private final String what;

        Kind(String key, String what) {
            this.key = key;
            this.what = what;
        }

        public String key() {
            return key;
        }

        /** A plural phrase for reports, e.g. "forbidden calls". */
        public String what() {
            return what;
        }

        /** The kind with this key; {@link IllegalArgumentException} for an unknown one. */
        public static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no security event kind " + key);
        }
    }

    public SecurityEvent {
        Objects.requireNonNull(kind, "kind");
        subject = subject == null ? "" : subject;
        detail = detail == null ? "" : detail;
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
    }
}
