package io.agenthub.store.sqlite;

import io.agenthub.ratelimit.LocalHolds;
import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate limiter's buckets of a SQLite hub, in memory: one process owns the store (the data directory lock), so its
 * memory sees every call and a check costs no I/O. A restart forgets the buckets, which then start full. Each take is
 * one {@link ConcurrentHashMap#compute} on its key (atomic per key); buckets that would be full again are swept out
 * every few thousand takes once there are many, so a flood from many addresses leaves no lasting state. Holds are in
 * memory too ({@link LocalHolds}): a restart ends them.
 */
final class SqliteRateLimitStore extends LocalHolds {
    private static final int SWEEP_ABOVE = 10_000;
    private static final int SWEEP_EVERY = 4_096;

    private record Entry(TokenBucket bucket, long fullAt) {}

    private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
    private final AtomicLong takes = new AtomicLong();

    @Override
    public Duration take(String key, Rate rate, Instant now) {
        long ms = now.toEpochMilli();
        long[] wait = {0};
        buckets.compute(key, (k, old) -> {
            TokenBucket b =
                    old == null ? TokenBucket.full(rate, ms) : old.bucket().refilled(rate, ms);
            if (b.hasToken()) {
                b = b.minusOne();
            } else {
                wait[0] = b.waitMillis(rate);
            }
            return new Entry(b, b.fullAt(rate));
        });
        if (takes.incrementAndGet() % SWEEP_EVERY == 0 && buckets.size() > SWEEP_ABOVE) {
            buckets.entrySet().removeIf(e -> e.getValue().fullAt() <= ms);
        }
        return Duration.ofMillis(wait[0]);
    }

    /** Buckets held in memory now (for tests). */
    int size() {
        return buckets.size();
    }
}
