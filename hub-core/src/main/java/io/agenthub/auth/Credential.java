package io.agenthub.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored secret, kept only as a SHA-256 hash. {@code subject} is the agent id for tokens and a label for join keys.
 *
 * @param id a short public identifier (the first characters of the hash), safe to show and to revoke by
 * @param revokedAt null while the credential is valid
 */
public record Credential(
        String id, String tokenHash, Kind kind, String subject, Role role, Instant createdAt, Instant revokedAt) {
    /** What the secret is for. */
    public enum Kind {
        TOKEN,
        JOIN_KEY
    }

    public Credential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean active() {
        return revokedAt == null;
    }
}
