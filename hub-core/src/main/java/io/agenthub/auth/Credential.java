package io.agenthub.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored secret, kept only as a SHA-256 hash. {@code subject} is the agent id for tokens and a label for join keys.
 *
 * @param id a short public identifier (the first characters of the hash), safe to show and to revoke by
 * @param revokedAt null while the credential is valid; otherwise the time from which it is refused, which may lie in the
 *     future (a rotated credential keeps working until its overlap window ends)
 */
public record Credential(
        String id, String tokenHash, Kind kind, String subject, Role role, Instant createdAt, Instant revokedAt) {
    /** What the secret is for. */
    public enum Kind {
        TOKEN,
        JOIN_KEY,
        /** A dashboard session, stored with its expiry as {@code revokedAt}; never accepted as a bearer token. */
        SESSION,
        /** A one-time dashboard login link: {@code revokedAt} is its expiry, and redeeming it revokes it now. */
        LOGIN_LINK
    }

    public Credential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** True if no revocation was ever recorded. */
    public boolean active() {
        return revokedAt == null;
    }

    /** True if the credential is accepted at {@code now}: never revoked, or revoked only from a later time. */
    public boolean activeAt(java.time.Instant now) {
        return revokedAt == null || revokedAt.isAfter(now);
    }
}
