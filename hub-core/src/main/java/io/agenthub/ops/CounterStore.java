package io.agenthub.ops;

import java.time.Instant;
import java.util.Map;

/**
 * Storage SPI for operation counters in one-minute buckets, shared by every hub node, so that rates (the error rate,
 * the lease conflict ratio, the average response time) are computed over the whole fleet. Each node adds its local
 * counts every few seconds; see {@link Counters}.
 */
public interface CounterStore {
    /**
     * Adds each delta to its counter in the bucket that starts at {@code bucketStart} (a whole minute, UTC), creating
     * it at zero. Atomic: all deltas are added or none, and concurrent adds never lose an increment.
     */
    void add(Instant bucketStart, Map<String, Long> deltas);

    /** Totals per counter over the buckets whose start lies in {@code [from, to)}. Counters without data are absent. */
    Map<String, Long> sum(Instant from, Instant to);

    /** Deletes buckets that start before {@code before}; returns how many counter rows were deleted. */
    int purgeBefore(Instant before);
}
