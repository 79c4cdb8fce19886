package io.agenthub.store.redis;

import io.agenthub.rollout.Rollout;
import io.agenthub.rollout.RolloutStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rollouts in Redis: the records in one hash by pool, their revisions and windows in two more (a save is one Lua
 * compare-and-set), and each pool's counters of its current window in a hash of its own.
 */
final class RedisRolloutStore implements RolloutStore {
    private static final LuaScript SAVE = LuaScript.load("rollout-save");
    private static final LuaScript COUNT = LuaScript.load("rollout-count");
    private static final LuaScript DELETE = LuaScript.load("rollout-delete");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisRolloutStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Optional<Rollout> find(String pool) {
        String json = redis.call("rollout find", r -> r.hget(keys.rollouts(), pool));
        return json == null ? Optional.empty() : Optional.of(Json.read(json, Rollout.class));
    }

    @Override
    public List<Rollout> list() {
        Map<String, String> stored = redis.call("rollout list", r -> r.hgetall(keys.rollouts()));
        Map<String, String> all = new TreeMap<>(stored);
        List<Rollout> out = new ArrayList<>();
        all.values().forEach(json -> out.add(Json.read(json, Rollout.class)));
        return out;
    }

    @Override
    public Optional<Rollout> save(Rollout next, long expectedRevision) {
        Rollout stored = next.withRevision(expectedRevision + 1);
        long rev = redis.eval(
                SAVE,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys.rollouts(), keys.rolloutRevisions(), keys.rolloutWindows(), keys.rolloutCounts(next.pool())
                },
                next.pool(),
                Long.toString(expectedRevision),
                Json.write(stored),
                Long.toString(stored.window()));
        return rev < 0 ? Optional.empty() : Optional.of(stored);
    }

    @Override
    public boolean delete(String pool, long expectedRevision) {
        long removed = redis.eval(
                DELETE,
                ScriptOutputType.INTEGER,
                new String[] {keys.rollouts(), keys.rolloutRevisions(), keys.rolloutWindows(), keys.rolloutCounts(pool)
                },
                pool,
                Long.toString(expectedRevision));
        return removed == 1;
    }

    @Override
    public void count(String pool, long window, Side side, Outcome outcome, long durationMs) {
        String metric = switch (outcome) {
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case ERROR_REPORT -> "errors";
        };
        long ms = outcome == Outcome.ERROR_REPORT ? 0 : Math.max(0, durationMs);
        redis.eval(
                COUNT,
                ScriptOutputType.INTEGER,
                new String[] {keys.rolloutWindows(), keys.rolloutCounts(pool)},
                pool,
                Long.toString(window),
                side.label(),
                metric,
                Long.toString(ms));
    }

    @Override
    public Health health(String pool, long window) {
        String current = redis.call("rollout window", r -> r.hget(keys.rolloutWindows(), pool));
        if (current == null || Long.parseLong(current) != window) {
            return new Health(Counts.ZERO, Counts.ZERO);
        }
        Map<String, String> c = redis.call("rollout counts", r -> r.hgetall(keys.rolloutCounts(pool)));
        return new Health(counts(c, Side.BASELINE), counts(c, Side.CANDIDATE));
    }

    private static Counts counts(Map<String, String> c, Side side) {
        String s = side.label() + ":";
        return new Counts(
                n(c.get(s + "completed")), n(c.get(s + "failed")), n(c.get(s + "errors")), n(c.get(s + "ms")));
    }

    private static long n(String v) {
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Rollouts in snapshots, by pool, written back as rollout-save.lua writes them, keeping their revisions. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.RolloutRow.class,
                    (x, sink) -> new TreeMap<>(x.sync().hgetall(x.keys().rollouts()))
                            .values()
                            .forEach(
                                    json -> sink.accept(new SnapshotRecord.RolloutRow(Json.read(json, Rollout.class)))),
                    (w, row) -> {
                        Rollout r = row.rollout();
                        w.hset(w.keys().rollouts(), r.pool(), Json.write(r));
                        w.hset(w.keys().rolloutRevisions(), r.pool(), Long.toString(r.revision()));
                        w.hset(w.keys().rolloutWindows(), r.pool(), Long.toString(r.window()));
                    });
}
