package io.agenthub.store.redis;

import io.agenthub.trace.TraceEntry;
import io.agenthub.trace.TraceStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents' trails in Redis: one sorted set per agent scored by time, whose members start with a zero-padded sequence
 * number so that entries of the same millisecond keep their order.
 */
final class RedisTraceStore implements TraceStore {
    private static final LuaScript APPEND = LuaScript.load("trace-append");
    private static final LuaScript PURGE = LuaScript.load("trace-purge");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisTraceStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void append(List<TraceEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(keys.traceBase());
        for (TraceEntry e : entries) {
            args.add(e.agentId());
            args.add(Replies.millis(e.at()));
            args.add(Json.write(new TraceEntry(
                    0, e.agentId(), e.at(), e.kind(), e.action(), e.subject(), e.outcome(), e.millis())));
        }
        redis.eval(
                APPEND,
                ScriptOutputType.INTEGER,
                new String[] {keys.traceSeq(), keys.traceAgents()},
                args.toArray(String[]::new));
    }

    @Override
    public List<TraceEntry> list(String agentId, Instant since, int limit) {
        List<String> members = redis.call(
                "trace",
                c -> c.zrangebyscore(
                        keys.trace(agentId),
                        Range.create((double) since.toEpochMilli(), Double.POSITIVE_INFINITY),
                        Limit.create(0, limit)));
        List<TraceEntry> out = new ArrayList<>(members.size());
        for (String m : members) {
            out.add(entry(m));
        }
        return out;
    }

    /** The member of an entry in its agent's trail: {@code <seq, zero-padded>|<JSON without the seq>}. */
    static String member(TraceEntry e) {
        return String.format("%020d", e.seq()) + "|"
                + Json.write(new TraceEntry(
                        0, e.agentId(), e.at(), e.kind(), e.action(), e.subject(), e.outcome(), e.millis()));
    }

    /** An entry from its member in the trail. */
    static TraceEntry entry(String member) {
        int bar = member.indexOf('|');
        TraceEntry e = Json.read(member.substring(bar + 1), TraceEntry.class);
        return new TraceEntry(
                Long.parseLong(member.substring(0, bar)),
                e.agentId(),
                e.at(),
                e.kind(),
                e.action(),
                e.subject(),
                e.outcome(),
                e.millis());
    }

    @Override
    public int purgeBefore(Instant before) {
        long n = redis.eval(
                PURGE,
                ScriptOutputType.INTEGER,
                new String[] {keys.traceAgents()},
                keys.traceBase(),
                Replies.millis(before));
        return (int) n;
    }
}
