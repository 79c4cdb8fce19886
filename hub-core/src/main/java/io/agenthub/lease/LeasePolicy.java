package io.agenthub.lease;

import java.time.Duration;

/**
 * Lease limits.
 *
 * @param defaultTtl used when a request names no TTL
 * @param maxTtl the longest TTL a request may ask for
 * @param maxHeldPerAgent how many active leases one agent may hold at once
 */
public record LeasePolicy(Duration defaultTtl, Duration maxTtl, int maxHeldPerAgent) {
    public LeasePolicy {
        if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("need 0 < defaultTtl <= maxTtl");
        }
        if (maxHeldPerAgent < 1) {
            throw new IllegalArgumentException("maxHeldPerAgent must be at least 1");
        }
    }

    public static LeasePolicy defaults() {
        return new LeasePolicy(Duration.ofMinutes(10), Duration.ofHours(2), 256);
    }
}
