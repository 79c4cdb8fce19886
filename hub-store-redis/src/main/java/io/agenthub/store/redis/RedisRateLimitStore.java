package io.agenthub.store.redis;

import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimitStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;

/**
 * The rate limiter's buckets in Redis, shared by every hub node: each take is one {@code rate-take} script call on the
 * bucket's one key (a hash of tokens and last refill), which expires once the bucket would be full again, so idle
 * buckets leave nothing behind. Time is the hub's (derived from Redis's clock on every node), passed in.
 */
final class RedisRateLimitStore implements RateLimitStore {
    private static final LuaScript TAKE = LuaScript.load("rate-take");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisRateLimitStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Duration take(String key, Rate rate, Instant now) {
        long wait = redis.eval(
                TAKE,
                ScriptOutputType.INTEGER,
                new String[] {keys.rateBucket(key)},
                Long.toString(now.toEpochMilli()),
                Integer.toString(rate.perMinute()),
                Integer.toString(rate.burst()));
        return Duration.ofMillis(wait);
    }
}
