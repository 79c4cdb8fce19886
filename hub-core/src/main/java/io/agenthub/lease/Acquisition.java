package io.agenthub.lease;

import java.util.List;

/** The result of an acquire: a grant, or the leases that block it. */
public sealed interface Acquisition {
    /**
     * The caller holds the lease.
     *
     * @param renewed true if the caller already held this exact resource and the existing grant (same token) was
     *     extended
     */
    record Granted(Lease lease, boolean renewed) implements Acquisition {}

    /** The holder already holds {@code held} active leases, the most it may; nothing was granted. */
    record LimitReached(int held) implements Acquisition {}

    /** Other holders' active leases overlap the resource. Never empty. */
    record Refused(List<Lease> blockers) implements Acquisition {
        public Refused {
            blockers = List.copyOf(blockers);
            if (blockers.isEmpty()) {
                throw new IllegalArgumentException("a refusal names its blockers");
            }
        }
    }
}
