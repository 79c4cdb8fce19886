package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

    /**
     * The snapshot part of a run log: runs by start time, then id, each written back as selftest-save.lua writes it
     * (without trimming: a snapshot holds no more than the log kept).
     */
    static <T, R extends SnapshotRecord> RedisSnapshotPart snapshot(
            Class<R> rowType,
            Function<RedisKeys, String> runsKey,
            Function<RedisKeys, String> byStartKey,
            Class<T> type,
            Function<T, String> id,
            Function<T, Instant> startedAt,
            Function<T, R> row,
            Function<R, T> run) {
        return RedisSnapshotPart.of()
                .record(
                        rowType,
                        (x, sink) -> {
                            List<T> runs = new ArrayList<>();
                            x.sync()
                                    .hgetall(runsKey.apply(x.keys()))
                                    .values()
                                    .forEach(json -> runs.add(Json.read(json, type)));
                            runs.sort(Comparator.comparing(
                                            (T r) -> startedAt.apply(r).toEpochMilli())
                                    .thenComparing(id, RedisSnapshotPart.BYTES));
                            runs.forEach(r -> sink.accept(row.apply(r)));
                        },
                        (w, r) -> {
                            T t = run.apply(r);
                            w.hset(runsKey.apply(w.keys()), id.apply(t), Json.write(t));
                            w.zadd(
                                    byStartKey.apply(w.keys()),
                                    startedAt.apply(t).toEpochMilli(),
                                    id.apply(t));
                        });
    }
}
