package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.trace.TraceCursor;
import io.agenthub.trace.TraceEntry;
import io.agenthub.trace.TraceStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agents' trails in Redis: one sorted set per agent scored by time, whose members start with a zero-padded sequence
 * number so that entries of the same millisecond keep their order. A batch is one script call that takes its sequence
 * numbers with one {@code INCRBY} and writes each agent's entries with one {@code ZADD}.
 */
final class RedisTraceStore implements TraceStore {
    private static final LuaScript APPEND = LuaScript.load("trace-append");
    private static final LuaScript PURGE = LuaScript.load("trace-purge");
    private static final LuaScript LATEST = LuaScript.load("trace-latest");

    /** Most entries one purge script removes. */
    static final int PURGE_STEP = 5_000;

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
        Map<String, List<Integer>> byAgent = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            byAgent.computeIfAbsent(entries.get(i).agentId(), a -> new ArrayList<>())
                    .add(i);
        }
        List<String> args = new ArrayList<>(2 + 2 * byAgent.size() + 3 * entries.size());
        args.add(keys.traceBase());
        args.add(Integer.toString(entries.size()));
        byAgent.forEach((agent, offsets) -> {
            args.add(agent);
            args.add(Integer.toString(offsets.size()));
            for (int i : offsets) {
                TraceEntry e = entries.get(i);
                args.add(Replies.millis(e.at()));
                args.add(Integer.toString(i + 1));
                args.add(Json.write(Stored.of(e)));
            }
        });
        redis.eval(
                APPEND,
                ScriptOutputType.INTEGER,
                new String[] {keys.traceSeq(), keys.traceAgents()},
                args.toArray(String[]::new));
    }

    @Override
    public List<TraceEntry> list(String agentId, Instant since, int limit) {
        List<ScoredValue<String>> members = redis.call(
                "trace",
                c -> c.zrangebyscoreWithScores(
                        keys.trace(agentId),
                        Range.create((double) since.toEpochMilli(), Double.POSITIVE_INFINITY),
                        Limit.create(0, limit)));
        List<TraceEntry> out = new ArrayList<>(members.size());
        for (ScoredValue<String> m : members) {
            out.add(entry(agentId, (long) m.getScore(), m.getValue()));
        }
        return out;
    }

    @Override
    public List<TraceEntry> latest(String agentId, Instant since, TraceCursor before, int limit) {
        List<Object> pairs = Replies.list(redis.eval(
                LATEST,
                ScriptOutputType.MULTI,
                new String[] {keys.trace(agentId)},
                Replies.millis(since),
                before == null ? "+inf" : Replies.millis(before.at()),
                before == null ? "" : String.format("%020d", before.seq()),
                Integer.toString(limit)));
        List<TraceEntry> out = new ArrayList<>(pairs.size() / 2);
        for (int i = pairs.size() - 2; i >= 0; i -= 2) {
            long at = (long) Double.parseDouble(Replies.string(pairs.get(i + 1)));
            out.add(entry(agentId, at, Replies.string(pairs.get(i))));
        }
        return out;
    }

    /**
     * What a member holds after its sequence number: the entry without its agent (the key says it) and its time (the
     * score), in JSON. Members written before this format also carry {@code agentId} and {@code at}; reading ignores
     * them (the mapper skips unknown properties).
     */
    record Stored(String kind, String action, String subject, String outcome, long millis) {
        static Stored of(TraceEntry e) {
            return new Stored(e.kind(), e.action(), e.subject(), e.outcome(), e.millis());
        }
    }

    /** The member of an entry in its agent's trail: {@code <seq, zero-padded>|<JSON of Stored>}. */
    private static String member(TraceEntry e) {
        return String.format("%020d", e.seq()) + "|" + Json.write(Stored.of(e));
    }

    /** An entry of {@code agentId}'s trail from its member and score. */
    private static TraceEntry entry(String agentId, long atMillis, String member) {
        int bar = member.indexOf('|');
        Stored s = Json.read(member.substring(bar + 1), Stored.class);
        return new TraceEntry(
                Long.parseLong(member.substring(0, bar)),
                agentId,
                Instant.ofEpochMilli(atMillis),
                s.kind(),
                s.action(),
                s.subject(),
                s.outcome(),
                s.millis());
    }

    @Override
    public int purgeBefore(Instant before) {
        return purge(Replies.millis(before), 0);
    }

    @Override
    public int trimTo(long maxEntries) {
        String seq = redis.call("trace", c -> c.get(keys.traceSeq()));
        long cut = (seq == null ? 0 : Long.parseLong(seq)) - maxEntries + 1;
        return cut <= 1 ? 0 : purge("0", cut);
    }

    /**
     * Walks the agents set in script steps that each remove at most {@link #PURGE_STEP} entries, so that Redis serves
     * other clients between steps however much has to go.
     */
    private int purge(String before, long cut) {
        int total = 0;
        String cursor = "0";
        boolean done;
        do {
            List<Object> reply = Replies.list(redis.eval(
                    PURGE,
                    ScriptOutputType.MULTI,
                    new String[] {keys.traceAgents()},
                    keys.traceBase(),
                    before,
                    Long.toString(cut),
                    cursor,
                    Integer.toString(PURGE_STEP)));
            cursor = Replies.string(reply.get(0));
            total += (int) Replies.number(reply.get(1));
            done = Replies.number(reply.get(2)) == 1;
        } while (!done);
        return total;
    }

    /** Trails in snapshots, every entry by number, written back as trace-append.lua writes it. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.TraceRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        List<String> agents = new ArrayList<>(x.sync().smembers(keys.traceAgents()));
                        List<List<ScoredValue<String>>> trails =
                                x.pipe().each(agents, (a, agent) -> a.zrangeWithScores(keys.trace(agent), 0, -1));
                        List<TraceEntry> all = new ArrayList<>();
                        for (int i = 0; i < agents.size(); i++) {
                            String agent = agents.get(i);
                            trails.get(i).forEach(m -> all.add(entry(agent, (long) m.getScore(), m.getValue())));
                        }
                        all.sort(Comparator.comparingLong(TraceEntry::seq));
                        all.forEach(e -> sink.accept(new SnapshotRecord.TraceRow(e)));
                    },
                    (w, row) -> {
                        TraceEntry e = row.entry();
                        w.zadd(w.keys().trace(e.agentId()), e.at().toEpochMilli(), member(e));
                        w.sadd(w.keys().traceAgents(), e.agentId());
                        w.raise(w.keys().traceSeq(), e.seq());
                    });
}
