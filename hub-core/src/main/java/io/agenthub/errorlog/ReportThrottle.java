package io.agenthub.errorlog;

import io.agenthub.error.HubException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per reporter for error reports: {@link #PER_MINUTE} reports a minute, as a burst or spread out. An
 * agent that crashes in a loop is refused with a 429 and Retry-After instead of filling the error log and the error
 * rate. The buckets live in this hub node (each node of a Redis fleet allows its own share); they are forgotten when
 * full, so memory follows the agents that report now.
 */
final class ReportThrottle {
    /** Reports one reporter may send a minute; an honest agent reports a few at most. */
    static final int PER_MINUTE = 120;

    private static final double PER_NANO =
            PER_MINUTE / (double) Duration.ofMinutes(1).toNanos();
    private static final int MAX_BUCKETS = 10_000;

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private record Bucket(double tokens, Instant at) {}

    ReportThrottle(InstantSource clock) {
        this.clock = clock;
    }

    /** Takes one report from {@code reporter}'s bucket, or refuses it with the time until the next one is allowed. */
    void acquire(String reporter) {
        Instant now = clock.instant();
        if (buckets.size() > MAX_BUCKETS) {
            buckets.values().removeIf(b -> refill(b, now) >= PER_MINUTE);
        }
        double[] missing = {0};
        buckets.compute(reporter, (id, b) -> {
            double tokens = b == null ? PER_MINUTE : refill(b, now);
            missing[0] = tokens >= 1 ? 0 : 1 - tokens;
            return new Bucket(tokens >= 1 ? tokens - 1 : tokens, now);
        });
        if (missing[0] > 0) {
            long seconds = Math.max(1, (long) Math.ceil(missing[0] / PER_NANO / 1e9));
            throw new HubException.RateLimited(
                    reporter + " sent more than " + PER_MINUTE + " error reports in a minute; retry after " + seconds
                            + " s, and report a repeating failure once with its count instead of once per occurrence.",
                    Duration.ofSeconds(seconds));
        }
    }

    private static double refill(Bucket b, Instant now) {
        long elapsed = Math.max(0, Duration.between(b.at(), now).toNanos());
        return Math.min(PER_MINUTE, b.tokens() + elapsed * PER_NANO);
    }
}
