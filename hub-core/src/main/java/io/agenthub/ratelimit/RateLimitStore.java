package io.agenthub.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The token buckets of the rate limiter, and the fleet-wide {@link Hold}s that reports past a rate start (SPI). A bucket that was never used, or not for longer than its
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

    /**
     * Extends the hold {@code key} to at least {@code until}. If there is none, or the one there had ended by
     * {@code now} (ended but not yet {@linkplain #endHold removed}), a new one starts: since {@code now}, count 1,
     * {@link Hold#started()} true. Otherwise the hold keeps its start, counts one more and ends at the later of its
     * end and {@code until}. Atomic per key: of concurrent calls that find no hold, exactly one starts it. A store may
     * forget a hold long (a day) after it ended.
     *
     * @return the hold after the call
     */
    Hold extendHold(String key, Instant until, Instant now);

    /** The hold {@code key} as last extended, ended or not (until {@link #endHold} removes it); empty if none. */
    Optional<Hold> hold(String key);

    /**
     * Removes the hold {@code key} if it had ended by {@code now}. Atomic: of concurrent calls, at most one returns
     * true, so that exactly one caller announces the end.
     *
     * @return true if this call removed an ended hold
     */
    boolean endHold(String key, Instant now);

    /** A store whose buckets never run dry, with holds in memory: for a limiter or rule that is switched off. */
    static RateLimitStore unlimited() {
        return new LocalHolds() {
            @Override
            public Duration take(String key, Rate rate, Instant now) {
                return Duration.ZERO;
            }
        };
    }
}
