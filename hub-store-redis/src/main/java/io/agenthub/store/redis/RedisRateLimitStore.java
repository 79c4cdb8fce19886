package io.agenthub.store.redis;

import io.agenthub.ratelimit.Hold;
import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimitStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rate limiter's buckets in Redis, shared by every hub node: a take is one {@code rate-take} script call on the
 * bucket's one key (a hash of tokens and last refill), which expires once the bucket would be full again, so idle
 * buckets leave nothing behind. A busy caller's takes come from tokens this node took ahead in one call
 * ({@link RateCredits}: never more than Redis granted, lapsing after a second), so that it costs one script call per
 * batch, not per request. Time is the hub's (derived from Redis's clock on every node), passed in. A hold is one
 * hash too, changed by one script call, kept a day after its end so that a node can still announce the end.
 */
final class RedisRateLimitStore implements RateLimitStore {
    private static final LuaScript TAKE = LuaScript.load("rate-take");
    private static final LuaScript HOLD_EXTEND = LuaScript.load("rate-hold-extend");
    private static final LuaScript HOLD_END = LuaScript.load("rate-hold-end");
    private static final Duration KEEP_ENDED = Duration.ofDays(1);

    private final RedisLink redis;
    private final RedisKeys keys;
    private final RateCredits credits = new RateCredits();

    RedisRateLimitStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Duration take(String key, Rate rate, Instant now) {
        long ms = now.toEpochMilli();
        int wanted = credits.spendOrAsk(key, rate, ms);
        if (wanted == 0) {
            return Duration.ZERO;
        }
        long taken = 0;
        try {
            List<Object> reply = redis.eval(
                    TAKE,
                    ScriptOutputType.MULTI,
                    new String[] {keys.rateBucket(key)},
                    Long.toString(ms),
                    Integer.toString(rate.perMinute()),
                    Integer.toString(rate.burst()),
                    Integer.toString(Math.abs(wanted)));
            taken = ((Number) reply.get(0)).longValue();
            return taken == 0 ? Duration.ofMillis(((Number) reply.get(1)).longValue()) : Duration.ZERO;
        } finally {
            credits.settle(key, rate, wanted, taken, ms);
        }
    }

    @Override
    public Hold extendHold(String key, Instant until, Instant now) {
        List<Object> r = redis.eval(
                HOLD_EXTEND,
                ScriptOutputType.MULTI,
                new String[] {keys.rateHold(key)},
                Long.toString(until.toEpochMilli()),
                Long.toString(now.toEpochMilli()),
                Long.toString(KEEP_ENDED.toMillis()));
        return new Hold(
                Instant.ofEpochMilli(Long.parseLong(String.valueOf(r.get(1)))),
                Instant.ofEpochMilli(Long.parseLong(String.valueOf(r.get(2)))),
                Long.parseLong(String.valueOf(r.get(3))),
                ((Number) r.get(0)).longValue() == 1);
    }

    @Override
    public Optional<Hold> hold(String key) {
        Map<String, String> h = redis.call("rate hold", c -> c.hgetall(keys.rateHold(key)));
        if (h == null || h.get("until") == null) {
            return Optional.empty();
        }
        return Optional.of(new Hold(
                Instant.ofEpochMilli(Long.parseLong(h.get("since"))),
                Instant.ofEpochMilli(Long.parseLong(h.get("until"))),
                Long.parseLong(h.get("count")),
                false));
    }

    @Override
    public boolean endHold(String key, Instant now) {
        long removed = redis.eval(
                HOLD_END,
                ScriptOutputType.INTEGER,
                new String[] {keys.rateHold(key)},
                Long.toString(now.toEpochMilli()));
        return removed == 1;
    }
}
