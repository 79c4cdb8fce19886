package io.agenthub.handoff;

import java.time.Duration;

/**
 * Handoff limits and timing.
 *
 * @param pendingTtl how long a handoff waits to be accepted, and again after it went back to the pool
 * @param leaseTtl the shortest remaining lifetime a lease has after it moved on accept
 * @param maxLeases how many leases one handoff may carry
 */
public record HandoffPolicy(Duration pendingTtl, Duration leaseTtl, int maxLeases) {
    /** Longest title, in characters. */
    public static final int MAX_TITLE = 200;
    /** Largest context, in UTF-8 bytes. */
    public static final int MAX_CONTEXT_BYTES = 16 * 1024;
    /** Most next steps and files, and the longest of each. */
    public static final int MAX_ITEMS = 100;

    public static final int MAX_ITEM_CHARS = 1000;

    public HandoffPolicy {
        if (pendingTtl.isNegative() || pendingTtl.isZero() || leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("handoff durations must be positive");
        }
        if (maxLeases < 1) {
            throw new IllegalArgumentException("maxLeases must be at least 1");
        }
    }

    public static HandoffPolicy defaults() {
        return new HandoffPolicy(Duration.ofMinutes(30), Duration.ofMinutes(10), 256);
    }
}
