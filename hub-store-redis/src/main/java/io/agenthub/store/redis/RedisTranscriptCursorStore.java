package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.usage.TranscriptCursor;
import io.agenthub.usage.TranscriptCursorStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transcript cursors in Redis: one hash per agent and session (offset, msg, at: when it moved) that expires when not
 * moved for the retention given; the compare-and-set is one script.
 */
final class RedisTranscriptCursorStore implements TranscriptCursorStore {
    private static final LuaScript ADVANCE = LuaScript.load("transcript-advance");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisTranscriptCursorStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Optional<TranscriptCursor> find(String agentId, String sessionId) {
        Map<String, String> f = redis.call("tcursor", c -> c.hgetall(keys.transcriptCursor(agentId, sessionId)));
        return f.isEmpty()
                ? Optional.empty()
                : Optional.of(new TranscriptCursor(Long.parseLong(f.get("offset")), f.getOrDefault("msg", "")));
    }

    @Override
    public boolean advance(
            String agentId,
            String sessionId,
            TranscriptCursor expected,
            TranscriptCursor next,
            Instant now,
            Duration keep) {
        long moved = redis.eval(
                ADVANCE,
                ScriptOutputType.INTEGER,
                new String[] {keys.transcriptCursor(agentId, sessionId)},
                Long.toString(expected.offset()),
                expected.lastMessageId(),
                Long.toString(next.offset()),
                next.lastMessageId(),
                Long.toString(Math.max(1, keep.toMillis())),
                Long.toString(now.toEpochMilli()));
        return moved == 1;
    }

    /**
     * Transcript cursors in snapshots, by (agent, session): found by their key names (a session id has no '/', the
     * hooks check it; an agent id may), written back as transcript-advance.lua writes them, expiring
     * {@link TranscriptCursorStore#RESTORED_KEEP} after the restore (Redis judges expiry by its own clock).
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.TranscriptCursorRow.class,
                    (x, sink) -> {
                        String start = x.keys().transcriptCursorStart();
                        List<String[]> ids = new ArrayList<>();
                        for (String key : x.scan(start)) {
                            String rest = key.substring(start.length());
                            int slash = rest.lastIndexOf('/');
                            if (slash > 0) {
                                ids.add(new String[] {rest.substring(0, slash), rest.substring(slash + 1), key});
                            }
                        }
                        ids.sort(Comparator.<String[], String>comparing(k -> k[0], RedisSnapshotPart.BYTES)
                                .thenComparing(k -> k[1], RedisSnapshotPart.BYTES));
                        List<Map<String, String>> fields = x.pipe().each(ids, (a, k) -> a.hgetall(k[2]));
                        for (int i = 0; i < ids.size(); i++) {
                            Map<String, String> f = fields.get(i);
                            if (!f.isEmpty() && f.get("offset") != null) {
                                String at = f.get("at");
                                sink.accept(new SnapshotRecord.TranscriptCursorRow(
                                        ids.get(i)[0],
                                        ids.get(i)[1],
                                        new TranscriptCursor(
                                                Long.parseLong(f.get("offset")), f.getOrDefault("msg", "")),
                                        Instant.ofEpochMilli(at == null ? 0 : Long.parseLong(at))));
                            }
                        }
                    },
                    (w, t) -> {
                        String key = w.keys().transcriptCursor(t.agentId(), t.sessionId());
                        Map<String, String> f = new LinkedHashMap<>();
                        f.put("offset", Long.toString(t.cursor().offset()));
                        f.put("msg", t.cursor().lastMessageId());
                        f.put("at", Replies.millis(t.updatedAt()));
                        w.hset(key, f);
                        long keep = RESTORED_KEEP.toMillis();
                        w.send(key, a -> a.pexpire(key, keep));
                    });
}
