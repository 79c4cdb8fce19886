package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.TierStore;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tier changes in Redis: a hash of changes by sequence number and a list of the numbers, newest first. */
final class RedisTierStore implements TierStore {
    private static final LuaScript APPEND = LuaScript.load("tier-append");
    private static final LuaScript HISTORY = LuaScript.load("tier-history");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisTierStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Optional<TierChange> latest() {
        return history(1).stream().findFirst();
    }

    @Override
    public Optional<TierChange> append(long expectedSeq, TierChange change) {
        long seq = redis.eval(
                APPEND,
                ScriptOutputType.INTEGER,
                new String[] {keys.tierSeq(), keys.tierChanges(), keys.tierLog()},
                Long.toString(expectedSeq),
                Json.write(change.withSeq(0)));
        return seq < 0 ? Optional.empty() : Optional.of(change.withSeq(seq));
    }

    @Override
    public List<TierChange> history(int limit) {
        List<Object> flat = redis.eval(
                HISTORY,
                ScriptOutputType.MULTI,
                new String[] {keys.tierChanges(), keys.tierLog()},
                Integer.toString(limit));
        List<TierChange> out = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(Json.read(Replies.string(flat.get(i + 1)), TierChange.class)
                    .withSeq(Long.parseLong(Replies.string(flat.get(i)))));
        }
        return out;
    }

    /** Tier changes in snapshots, by number, written back as tier-append.lua writes them. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.TierRow.class,
                    (x, sink) -> {
                        x.byNumber(x.keys().tierChanges())
                                .forEach((seq, json) -> sink.accept(new SnapshotRecord.TierRow(
                                        Json.read(json, TierChange.class).withSeq(seq))));
                    },
                    (w, row) -> {
                        TierChange c = row.change();
                        String seq = Long.toString(c.seq());
                        w.hset(w.keys().tierChanges(), seq, Json.write(c.withSeq(0)));
                        w.lpush(w.keys().tierLog(), seq);
                        w.raise(w.keys().tierSeq(), c.seq());
                    });
}
