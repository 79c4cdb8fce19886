package io.agenthub.store.redis;

import io.agenthub.ops.CounterStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operation counters in Redis: one hash per minute bucket, indexed by a sorted set; every operation one script. */
final class RedisCounterStore implements CounterStore {
    private static final LuaScript ADD = LuaScript.load("counter-add");
    private static final LuaScript SUM = LuaScript.load("counter-sum");
    private static final LuaScript PURGE = LuaScript.load("counter-purge");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisCounterStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void add(Instant bucketStart, Map<String, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(bucketStart.toEpochMilli()));
        deltas.forEach((name, delta) -> {
            args.add(name);
            args.add(Long.toString(delta));
        });
        redis.eval(
                ADD,
                ScriptOutputType.INTEGER,
                new String[] {keys.counterBucket(bucketStart.toEpochMilli()), keys.counterIndex()},
                args.toArray(String[]::new));
    }

    @Override
    public Map<String, Long> sum(Instant from, Instant to) {
        List<Object> flat = redis.eval(
                SUM,
                ScriptOutputType.MULTI,
                new String[] {keys.counterIndex()},
                keys.counterBase(),
                Long.toString(from.toEpochMilli()),
                Long.toString(to.toEpochMilli()));
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(Replies.string(flat.get(i)), Long.parseLong(Replies.string(flat.get(i + 1))));
        }
        return out;
    }

    @Override
    public int purgeBefore(Instant before) {
        long n = redis.eval(
                PURGE,
                ScriptOutputType.INTEGER,
                new String[] {keys.counterIndex()},
                keys.counterBase(),
                Long.toString(before.toEpochMilli()));
        return (int) n;
    }
}
