package io.agenthub.task;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The current (or last) claim of a task.
 *
 * @param token the fencing token of the claim, from the hub's one token counter: it only grows
 * @param leases the task's resources leased with the claim, each with its own lease token
 */
public record TaskClaim(String holder, long token, Instant claimedAt, Instant expiresAt, List<Held> leases) {
    /** One resource leased with the claim. */
    public record Held(String resource, long token) {}

    public TaskClaim {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(claimedAt, "claimedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        leases = leases == null ? List.of() : List.copyOf(leases);
    }

    public boolean activeAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
