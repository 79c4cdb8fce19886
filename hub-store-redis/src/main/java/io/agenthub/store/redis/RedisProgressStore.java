package io.agenthub.store.redis;

import io.agenthub.agent.Progress;
import io.agenthub.agent.ProgressStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Progress marks in Redis: one hash per agent; progress and the stall compare-and-set are one script each. */
final class RedisProgressStore implements ProgressStore {
    private static final LuaScript MARK = LuaScript.load("progress-mark");
    private static final LuaScript STALL = LuaScript.load("progress-stall");
    private static final LuaScript LIST = LuaScript.load("progress-list");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisProgressStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Optional<Instant> progress(String agentId, Instant now) {
        List<Object> reply = redis.eval(
                MARK,
                ScriptOutputType.MULTI,
                new String[] {keys.progress(agentId), keys.progressIds()},
                agentId,
                Replies.millis(now));
        return reply.isEmpty() ? Optional.empty() : Optional.of(Replies.millis(Replies.string(reply.getFirst())));
    }

    @Override
    public boolean markStalled(String agentId, Instant quietSince, Instant now) {
        long marked = redis.eval(
                STALL,
                ScriptOutputType.INTEGER,
                new String[] {keys.progress(agentId), keys.progressIds()},
                agentId,
                Replies.millis(quietSince),
                Replies.millis(now));
        return marked == 1;
    }

    @Override
    public Optional<Progress> find(String agentId) {
        Map<String, String> f = redis.call("progress", c -> c.hgetall(keys.progress(agentId)));
        return f.isEmpty()
                ? Optional.empty()
                : Optional.of(new Progress(
                        agentId, Replies.optionalMillis(f.get("last")), Replies.optionalMillis(f.get("stalled"))));
    }

    /** Every progress record, by agent id, read in pages ({@link IdPages}). */
    @Override
    public List<Progress> list() {
        List<Progress> out = new ArrayList<>();
        IdPages.each(
                redis,
                LIST,
                keys.progressIds(),
                keys.progressBase(),
                3,
                r -> out.add(new Progress(
                        Replies.string(r.get(0)),
                        Replies.optionalMillis(Replies.string(r.get(1))),
                        Replies.optionalMillis(Replies.string(r.get(2))))));
        return out;
    }

    /** Progress marks in snapshots, by agent, written back as progress-mark.lua and progress-stall.lua write them. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.ProgressRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        List<String> ids = x.sync().zrange(keys.progressIds(), 0, -1);
                        List<Map<String, String>> marks = x.pipe().each(ids, (a, id) -> a.hgetall(keys.progress(id)));
                        for (int i = 0; i < ids.size(); i++) {
                            Map<String, String> f = marks.get(i);
                            if (!f.isEmpty()) {
                                sink.accept(new SnapshotRecord.ProgressRow(new Progress(
                                        ids.get(i),
                                        Replies.optionalMillis(f.get("last")),
                                        Replies.optionalMillis(f.get("stalled")))));
                            }
                        }
                    },
                    (w, row) -> {
                        Progress p = row.progress();
                        Map<String, String> f = new LinkedHashMap<>();
                        if (p.lastProgressAt() != null) {
                            f.put("last", Replies.millis(p.lastProgressAt()));
                        }
                        if (p.stalledSince() != null) {
                            f.put("stalled", Replies.millis(p.stalledSince()));
                        }
                        if (!f.isEmpty()) {
                            w.hset(w.keys().progress(p.agentId()), f);
                        }
                        w.zadd(w.keys().progressIds(), 0, p.agentId());
                    });
}
