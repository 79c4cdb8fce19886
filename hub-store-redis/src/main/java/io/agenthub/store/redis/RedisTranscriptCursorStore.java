package io.agenthub.store.redis;

import io.agenthub.usage.TranscriptCursor;
import io.agenthub.usage.TranscriptCursorStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
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
}
