package io.agenthub.ratelimit;

/**
 * The arithmetic of one bucket, shared by in-memory stores (the Redis script does the same in Lua): {@code tokens} as of
 * {@code at} (epoch ms).
 */
public record TokenBucket(double tokens, long at) {
    /** A full bucket, as of {@code now}. */
    public static TokenBucket full(Rate rate, long now) {
        return new TokenBucket(rate.burst(), now);
    }

    /** This bucket refilled up to {@code now}; a {@code now} before {@link #at} (a clock set back) adds nothing. */
    public TokenBucket refilled(Rate rate, long now) {
        if (now <= at) {
            return this;
        }
        return new TokenBucket(Math.min(rate.burst(), tokens + (now - at) * rate.perMilli()), now);
    }

    public boolean hasToken() {
        return tokens >= 1;
    }

    public TokenBucket minusOne() {
        return new TokenBucket(tokens - 1, at);
    }

    /** Milliseconds until a whole token is there (at least 1). */
    public long waitMillis(Rate rate) {
        return Math.max(1, (long) Math.ceil((1 - tokens) / rate.perMilli()));
    }

    /** When the bucket will be full again (epoch ms). */
    public long fullAt(Rate rate) {
        return at + (long) Math.ceil((rate.burst() - tokens) / rate.perMilli());
    }
}
