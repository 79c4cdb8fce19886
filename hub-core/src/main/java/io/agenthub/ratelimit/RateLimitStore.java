package io.agenthub.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * The token buckets of the rate limiter (SPI). A bucket that was never used, or not for longer than its
 * {@link Rate#fillTime()}, is full; a store may forget such buckets (and should, to stay bounded).
 */
public interface RateLimitStore {
    /**
     * Takes one token from the bucket {@code key}: first refills it for the time since its last use (never above
     * {@code rate.burst()}; a {@code now} earlier than the last use adds nothing), then takes a token if there is a
     * whole one. Atomic per key: of any number of concurrent takes on a bucket holding n tokens, exactly n succeed. Costs
     * one operation of the store (one script call on Redis, no I/O in memory).
     *
     * @param rate a limited rate ({@link Rate#limited()})
     * @return {@link Duration#ZERO} if a token was taken; otherwise how long until a whole token is there (nothing is
     *     taken then)
     */
    Duration take(String key, Rate rate, Instant now);
}
