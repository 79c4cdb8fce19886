package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.usage.DayTotals;
import io.agenthub.usage.Tally;
import io.agenthub.usage.UsageEntry;
import io.agenthub.usage.UsageRow;
import io.agenthub.usage.UsageStore;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Usage counters in Redis. Every counter grows only by {@code HINCRBY} inside one script, which also updates the day
 * totals of the agent, the pool and the fleet and returns them, so concurrent reports from any node are all counted
 * and each sees totals that include itself.
 */
final class RedisUsageStore implements UsageStore {
    private static final LuaScript RECORD = LuaScript.load("usage-record");
    private static final LuaScript ROWS = LuaScript.load("usage-rows");
    /** The six counters of a row or total hash, in {@link Tally} order. */
    static final String[] FIELDS = {"calls", "input", "output", "cacheRead", "cacheWrite", "cost"};

    private static final Comparator<UsageRow> ORDER = Comparator.comparing(UsageRow::day)
            .thenComparing(UsageRow::agentId)
            .thenComparing(UsageRow::pool)
            .thenComparing(UsageRow::model);

    /** The (agent, pool, model) of a row, as stored in the day's set of rows. */
    record RowId(String agentId, String pool, String model) {}

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisUsageStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public DayTotals record(UsageEntry e) {
        String rowId = Json.write(new RowId(e.agentId(), e.pool(), e.model()));
        Tally t = e.tally();
        List<Object> v = redis.eval(
                RECORD,
                ScriptOutputType.MULTI,
                new String[] {
                    keys.usageRow(e.day(), rowId),
                    keys.usageRows(e.day()),
                    keys.usageDays(),
                    keys.usageAgentTotal(e.day(), e.agentId()),
                    keys.usagePoolTotal(e.day(), e.pool()),
                    keys.usageFleetTotal(e.day())
                },
                e.day(),
                rowId,
                e.pool().isEmpty() ? "0" : "1",
                Long.toString(t.calls()),
                Long.toString(t.inputTokens()),
                Long.toString(t.outputTokens()),
                Long.toString(t.cacheReadTokens()),
                Long.toString(t.cacheWriteTokens()),
                Long.toString(t.costNanos()));
        return new DayTotals(e.day(), tally(v, 0), e.pool().isEmpty() ? Tally.ZERO : tally(v, 6), tally(v, 12));
    }

    @Override
    public DayTotals totals(String day, String agentId, String pool) {
        return redis.call(
                "usage totals",
                c -> new DayTotals(
                        day,
                        tally(c.hmget(keys.usageAgentTotal(day, agentId), FIELDS)),
                        pool == null || pool.isEmpty()
                                ? Tally.ZERO
                                : tally(c.hmget(keys.usagePoolTotal(day, pool), FIELDS)),
                        tally(c.hmget(keys.usageFleetTotal(day), FIELDS))));
    }

    @Override
    public List<UsageRow> rows(String from, String to) {
        List<Object> flat =
                redis.eval(ROWS, ScriptOutputType.MULTI, new String[] {keys.usageDays()}, keys.usageBase(), from, to);
        List<UsageRow> out = new ArrayList<>();
        for (int i = 0; i + 7 < flat.size(); i += 8) {
            RowId row = Json.read(Replies.string(flat.get(i + 1)), RowId.class);
            out.add(new UsageRow(
                    Replies.string(flat.get(i)), row.agentId(), row.pool(), row.model(), tally(flat, i + 2)));
        }
        out.sort(ORDER);
        return out;
    }

    private static Tally tally(List<Object> v, int at) {
        long[] n = new long[6];
        for (int i = 0; i < 6; i++) {
            Object o = v.get(at + i);
            n[i] = o == null ? 0 : Replies.number(o);
        }
        return new Tally(n[0], n[1], n[2], n[3], n[4], n[5]);
    }

    /** A tally from the six counters read with {@code HMGET} (a missing one is 0). */
    private static Tally tally(List<io.lettuce.core.KeyValue<String, String>> values) {
        long[] n = new long[6];
        for (int i = 0; i < 6; i++) {
            n[i] = values.get(i).hasValue() ? Long.parseLong(values.get(i).getValue()) : 0;
        }
        return new Tally(n[0], n[1], n[2], n[3], n[4], n[5]);
    }

    /** Usage in snapshots: every row by (day, agent, pool, model), written back as usage-record.lua writes it. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(SnapshotRecord.UsageCounter.class, RedisUsageStore::exportRows, (w, u) -> restoreRow(w, u.row()));

    private record DayRow(String day, String rowId) {}

    private static void exportRows(RedisSnapshotExport x, Consumer<SnapshotRecord> sink) {
        RedisKeys keys = x.keys();
        List<String> days = x.sync().zrange(keys.usageDays(), 0, -1);
        List<Set<String>> rowIds = x.pipe().each(days, (a, day) -> a.smembers(keys.usageRows(day)));
        List<DayRow> rows = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            for (String rowId : rowIds.get(i)) {
                rows.add(new DayRow(days.get(i), rowId));
            }
        }
        var values = x.pipe().each(rows, (a, r) -> a.hmget(keys.usageRow(r.day(), r.rowId()), FIELDS));
        List<UsageRow> all = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RowId id = Json.read(rows.get(i).rowId(), RowId.class);
            all.add(new UsageRow(rows.get(i).day(), id.agentId(), id.pool(), id.model(), tally(values.get(i))));
        }
        all.sort(Comparator.comparing(UsageRow::day, RedisSnapshotPart.BYTES)
                .thenComparing(UsageRow::agentId, RedisSnapshotPart.BYTES)
                .thenComparing(UsageRow::pool, RedisSnapshotPart.BYTES)
                .thenComparing(UsageRow::model, RedisSnapshotPart.BYTES));
        all.forEach(r -> sink.accept(new SnapshotRecord.UsageCounter(r)));
    }

    /** As usage-record.lua: the row, and its counts added to the day totals of its agent, pool and the fleet. */
    private static void restoreRow(RedisSnapshotRestore w, UsageRow u) {
        RedisKeys keys = w.keys();
        String rowId = Json.write(new RowId(u.agentId(), u.pool(), u.model()));
        Tally t = u.tally();
        long[] values = {
            t.calls(), t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens(), t.costNanos()
        };
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            f.put(FIELDS[i], Long.toString(values[i]));
        }
        w.hset(keys.usageRow(u.day(), rowId), f);
        w.sadd(keys.usageRows(u.day()), rowId);
        w.zadd(keys.usageDays(), 0, u.day());
        List<String> totals = new ArrayList<>(List.of(keys.usageAgentTotal(u.day(), u.agentId())));
        if (!u.pool().isEmpty()) {
            totals.add(keys.usagePoolTotal(u.day(), u.pool()));
        }
        totals.add(keys.usageFleetTotal(u.day()));
        for (String total : totals) {
            for (int i = 0; i < values.length; i++) {
                w.hincrby(total, FIELDS[i], values[i]);
            }
        }
    }
}
