package io.agenthub.store.redis;

import io.agenthub.flag.Flag;
import io.agenthub.flag.FlagStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Feature flags in Redis: one hash of definitions and a version counter, changed together by one script. */
final class RedisFlagStore implements FlagStore {
    private static final LuaScript CHANGE = LuaScript.load("flag-change");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisFlagStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public List<Flag> list() {
        return redis.call("flag list", r -> all(keys, r));
    }

    /** Every flag by key. */
    private static List<Flag> all(RedisKeys keys, RedisClusterCommands<String, String> r) {
        Map<String, String> stored = r.hgetall(keys.flags());
        List<Flag> out = new ArrayList<>();
        new TreeMap<>(stored).values().forEach(json -> out.add(Json.read(json, Flag.class)));
        return out;
    }

    @Override
    public long put(Flag flag) {
        return redis.eval(
                CHANGE,
                ScriptOutputType.INTEGER,
                new String[] {keys.flags(), keys.flagVersion()},
                "put",
                flag.key(),
                Json.write(flag));
    }

    @Override
    public long delete(String key) {
        return redis.eval(
                CHANGE, ScriptOutputType.INTEGER, new String[] {keys.flags(), keys.flagVersion()}, "delete", key, "");
    }

    @Override
    public long version() {
        String v = redis.call("flag version", r -> r.get(keys.flagVersion()));
        return v == null ? 0 : Long.parseLong(v);
    }

    /**
     * Flags in snapshots, by key, written back as flag-change.lua writes them; the version counter is restored as the
     * number of flags, as if each had been put once.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.FlagRow.class,
                    (x, sink) -> all(x.keys(), x.sync()).forEach(f -> sink.accept(new SnapshotRecord.FlagRow(f))),
                    (w, row) -> {
                        w.hset(w.keys().flags(), row.flag().key(), Json.write(row.flag()));
                        w.next(w.keys().flagVersion());
                    });
}
