package io.agenthub.lease;

import java.time.Instant;
import java.util.Objects;

/**
 * One grant of a resource to a holder until {@code expiresAt}. {@code token} is a fencing token: it grows with every
 * grant across the whole hub and never repeats, so a resource can reject writes that carry an older token.
 *
 * <p>A resource name ending in {@code /} is a zone: it covers every resource whose name starts with it.
 */
public record Lease(String resource, String holder, long token, Instant acquiredAt, Instant expiresAt, String note) {
    public Lease {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        note = note == null ? "" : note;
        if (token <= 0) {
            throw new IllegalArgumentException("token must be positive");
        }
        if (!expiresAt.isAfter(acquiredAt)) {
            throw new IllegalArgumentException("expiresAt must be after acquiredAt");
        }
    }

    public boolean activeAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    public boolean isZone() {
        return Resources.isZone(resource);
    }
}
