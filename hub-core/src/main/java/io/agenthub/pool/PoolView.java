package io.agenthub.pool;

import java.time.Instant;
import java.util.List;

/**
 * One pool as {@link PoolService#overview} sees it. Rates are over the rolling window, fleet-wide.
 *
 * @param online agents of role agent seen recently and not disabled
 * @param busy online agents holding an active claim on a task of the pool
 * @param utilisation busy / online, 0 with nobody online
 * @param queueDepth queued and retry-waiting tasks
 * @param oldestQueuedAt creation time of the oldest of them, null when none
 * @param oldestAgeSeconds how long it has waited, 0 when none
 * @param meanWaitSeconds mean time from creation to first claim of the tasks first claimed in the window
 * @param previousMeanWaitSeconds the same over the window before
 */
public record PoolView(
        String pool,
        int agents,
        int online,
        int busy,
        double utilisation,
        int queueDepth,
        Instant oldestQueuedAt,
        long oldestAgeSeconds,
        double createdPerMinute,
        double claimsPerMinute,
        double completionsPerMinute,
        double meanWaitSeconds,
        double previousMeanWaitSeconds,
        List<VersionView> versions) {
    public PoolView {
        versions = List.copyOf(versions);
    }

    /** Online agents without an active claim. */
    public int idle() {
        return Math.max(0, online - busy);
    }

    /**
     * One version of the agents of a pool, with the attempts its agents ended in the window.
     *
     * @param version as the agents report it (their {@code version} label), empty for none
     * @param online agents of this version online (not disabled); {@code stale} and {@code offline} likewise
     * @param successRate done / (done + failed + lost), null when no attempt ended
     * @param meanTaskSeconds mean claim duration of done and failed attempts, null when none
     */
    public record VersionView(
            String version,
            int online,
            int stale,
            int offline,
            int busy,
            double claimsPerMinute,
            long done,
            long failed,
            long lost,
            Double successRate,
            Double meanTaskSeconds) {}
}
