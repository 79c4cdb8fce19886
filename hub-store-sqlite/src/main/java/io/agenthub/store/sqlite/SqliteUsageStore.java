package io.agenthub.store.sqlite;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.usage.DayTotals;
import io.agenthub.usage.Tally;
import io.agenthub.usage.UsageEntry;
import io.agenthub.usage.UsageRow;
import io.agenthub.usage.UsageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage counters in SQLite. A record adds to the detail row and to the day totals of the agent, pool and fleet with
 * {@code counter = counter + ?} upserts in one write transaction, so no report is ever lost.
 */
final class SqliteUsageStore implements UsageStore {
    private static final String COUNTERS =
            "calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos";
    private static final String ADD = " calls = calls + excluded.calls, input_tokens = input_tokens +"
            + " excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens ="
            + " cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = cache_write_tokens +"
            + " excluded.cache_write_tokens, cost_nanos = cost_nanos + excluded.cost_nanos";

    private final SqliteDatabase db;

    SqliteUsageStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public DayTotals record(UsageEntry e) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage (day, agent_id, pool, model, " + COUNTERS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, agent_id, pool, model) DO UPDATE SET"
                    + ADD)) {
                ps.setString(1, e.day());
                ps.setString(2, e.agentId());
                ps.setString(3, e.pool());
                ps.setString(4, e.model());
                bind(ps, 5, e.tally());
                ps.executeUpdate();
            }
            Tally agent = add(c, e.day(), "agent:" + e.agentId(), e.tally());
            Tally pool = e.pool().isEmpty() ? Tally.ZERO : add(c, e.day(), "pool:" + e.pool(), e.tally());
            Tally fleet = add(c, e.day(), "fleet", e.tally());
            return new DayTotals(e.day(), agent, pool, fleet);
        });
    }

    @Override
    public DayTotals totals(String day, String agentId, String pool) {
        return db.read(c -> new DayTotals(
                day,
                agentId.isEmpty() ? Tally.ZERO : total(c, day, "agent:" + agentId),
                pool.isEmpty() ? Tally.ZERO : total(c, day, "pool:" + pool),
                total(c, day, "fleet")));
    }

    @Override
    public List<UsageRow> rows(String from, String to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT day, agent_id, pool, model, " + COUNTERS
                    + " FROM usage WHERE day >= ? AND day <= ? ORDER BY day, agent_id, pool, model")) {
                ps.setString(1, from);
                ps.setString(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    List<UsageRow> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new UsageRow(
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), tally(rs, 5)));
                    }
                    return out;
                }
            }
        });
    }

    private static Tally add(Connection c, String day, String scope, Tally t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_total (day, scope, " + COUNTERS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, scope) DO UPDATE SET" + ADD + " RETURNING "
                + COUNTERS)) {
            ps.setString(1, day);
            ps.setString(2, scope);
            bind(ps, 3, t);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return tally(rs, 1);
            }
        }
    }

    private static Tally total(Connection c, String day, String scope) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COUNTERS + " FROM usage_total WHERE day = ? AND scope = ?")) {
            ps.setString(1, day);
            ps.setString(2, scope);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? tally(rs, 1) : Tally.ZERO;
            }
        }
    }

    private static void bind(PreparedStatement ps, int first, Tally t) throws SQLException {
        ps.setLong(first, t.calls());
        ps.setLong(first + 1, t.inputTokens());
        ps.setLong(first + 2, t.outputTokens());
        ps.setLong(first + 3, t.cacheReadTokens());
        ps.setLong(first + 4, t.cacheWriteTokens());
        ps.setLong(first + 5, t.costNanos());
    }

    private static Tally tally(ResultSet rs, int first) throws SQLException {
        return new Tally(
                rs.getLong(first),
                rs.getLong(first + 1),
                rs.getLong(first + 2),
                rs.getLong(first + 3),
                rs.getLong(first + 4),
                rs.getLong(first + 5));
    }

    /** Usage counters in snapshots; the day totals per agent, pool and fleet are rebuilt from them. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("usage")
            .record(
                    SnapshotRecord.UsageCounter.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT day, agent_id, pool, model, calls, input_tokens, output_tokens, cache_read_tokens,"
                                    + " cache_write_tokens, cost_nanos FROM usage ORDER BY day, agent_id, pool, model",
                            rs -> new SnapshotRecord.UsageCounter(new UsageRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    new Tally(
                                            rs.getLong(5),
                                            rs.getLong(6),
                                            rs.getLong(7),
                                            rs.getLong(8),
                                            rs.getLong(9),
                                            rs.getLong(10)))),
                            sink),
                    (c, u) -> insertUsage(c, u.row()))
            .afterRestore(SqliteUsageStore::rebuildUsageTotals);

    private static void insertUsage(java.sql.Connection c, UsageRow u) throws java.sql.SQLException {
        Tally t = u.tally();
        SqliteSnapshotPart.update(
                c,
                "INSERT INTO usage (day, agent_id, pool, model, calls, input_tokens, output_tokens, cache_read_tokens,"
                        + " cache_write_tokens, cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                u.day(),
                u.agentId(),
                u.pool(),
                u.model(),
                t.calls(),
                t.inputTokens(),
                t.outputTokens(),
                t.cacheReadTokens(),
                t.cacheWriteTokens(),
                t.costNanos());
    }

    /** The day totals per agent, pool and fleet are sums of the usage counters (as this store keeps them). */
    private static void rebuildUsageTotals(java.sql.Connection c) throws java.sql.SQLException {
        String sums = "sum(calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),"
                + " sum(cache_write_tokens), sum(cost_nanos)";
        String insert = "INSERT INTO usage_total (day, scope, calls, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_write_tokens, cost_nanos) ";
        SqliteSnapshotPart.update(
                c, insert + "SELECT day, 'agent:' || agent_id, " + sums + " FROM usage GROUP BY day, agent_id");
        SqliteSnapshotPart.update(
                c, insert + "SELECT day, 'pool:' || pool, " + sums + " FROM usage WHERE pool <> '' GROUP BY day, pool");
        SqliteSnapshotPart.update(c, insert + "SELECT day, 'fleet', " + sums + " FROM usage GROUP BY day");
    }
}
