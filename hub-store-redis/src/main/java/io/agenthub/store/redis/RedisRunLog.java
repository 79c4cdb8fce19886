package io.agenthub.store.redis;

import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A bounded history of runs (self-test, drill) in Redis: JSON by id in a hash, ids indexed by start time in a sorted
 * set; saving trims to the newest in the same script. Both keys share one hash tag.
 */
final class RedisRunLog<T> {
    private static final LuaScript SAVE = LuaScript.load("selftest-save");
    private static final LuaScript RECENT = LuaScript.load("selftest-recent");

    private final RedisLink redis;
    private final String[] keys;
    private final Class<T> type;
    private final Function<T, String> id;
    private final Function<T, Instant> startedAt;

    RedisRunLog(
            RedisLink redis,
            String runsKey,
            String byStartKey,
            Class<T> type,
            Function<T, String> id,
            Function<T, Instant> startedAt) {
        this.redis = redis;
        this.keys = new String[] {runsKey, byStartKey};
        this.type = type;
        this.id = id;
        this.startedAt = startedAt;
    }

    void save(T run, int keep) {
        redis.eval(
                SAVE,
                ScriptOutputType.INTEGER,
                keys,
                id.apply(run),
                Replies.millis(startedAt.apply(run)),
                Json.write(run),
                Integer.toString(keep));
    }

    Optional<T> latest() {
        return recent(1).stream().findFirst();
    }

    List<T> recent(int limit) {
        List<Object> reply = redis.eval(RECENT, ScriptOutputType.MULTI, keys, Integer.toString(limit));
        List<T> out = new ArrayList<>();
        for (Object json : reply) {
            out.add(Json.read(Replies.string(json), type));
        }
        return out;
    }
}
