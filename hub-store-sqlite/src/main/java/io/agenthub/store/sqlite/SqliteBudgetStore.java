package io.agenthub.store.sqlite;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.Halt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Budget alerts, halts, acknowledgements and throttle admissions in SQLite; each write is one transaction on the one
 * writer thread, so a check and the write that follows it are atomic.
 */
final class SqliteBudgetStore implements BudgetStore {
    private final SqliteDatabase db;

    SqliteBudgetStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean raise(BudgetAlert a) {
        return db.write(c -> {
            boolean raised;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO budget_alert VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, scope, level) DO NOTHING")) {
                ps.setString(1, a.day());
                ps.setString(2, a.scope());
                ps.setString(3, a.level().name());
                ps.setLong(4, a.spendNanos());
                ps.setLong(5, a.at().toEpochMilli());
                raised = ps.executeUpdate() == 1;
            }
            if (raised && a.level() == BudgetLevel.HALT) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO budget_halt VALUES (?, ?, ?, ?) ON CONFLICT (scope) DO NOTHING")) {
                    ps.setString(1, a.scope());
                    ps.setString(2, a.day());
                    ps.setLong(3, a.spendNanos());
                    ps.setLong(4, a.at().toEpochMilli());
                    ps.executeUpdate();
                }
            }
            return raised;
        });
    }

    @Override
    public List<BudgetAlert> alerts(String from, String to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT day, scope, level, spend_nanos, at FROM"
                    + " budget_alert WHERE day >= ? AND day <= ? ORDER BY at, day, scope, level")) {
                ps.setString(1, from);
                ps.setString(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    List<BudgetAlert> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new BudgetAlert(
                                rs.getString(1),
                                rs.getString(2),
                                BudgetLevel.valueOf(rs.getString(3)),
                                rs.getLong(4),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public List<Halt> halts() {
        return db.read(c -> halts(c, null));
    }

    @Override
    public Optional<Acknowledgement> acknowledge(String scope, String by, String note, Instant now) {
        return db.write(c -> {
            Optional<Halt> halt = halts(c, scope).stream().findFirst();
            if (halt.isEmpty()) {
                return Optional.empty();
            }
            Halt h = halt.get();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM budget_halt WHERE scope = ?")) {
                ps.setString(1, scope);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_ack (scope, day, spend_nanos,"
                    + " halted_since, by_actor, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, h.scope());
                ps.setString(2, h.day());
                ps.setLong(3, h.spendNanos());
                ps.setLong(4, h.since().toEpochMilli());
                ps.setString(5, by);
                ps.setString(6, note);
                ps.setLong(7, now.toEpochMilli());
                ps.executeUpdate();
            }
            return Optional.of(new Acknowledgement(h, by, note, Instant.ofEpochMilli(now.toEpochMilli())));
        });
    }

    @Override
    public List<Acknowledgement> acknowledgements(int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope, day, spend_nanos, halted_since, by_actor,"
                    + " note, at FROM budget_ack ORDER BY seq DESC LIMIT ?")) {
                ps.setInt(1, Math.max(1, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    List<Acknowledgement> out = new ArrayList<>();
                    while (rs.next()) {
                        Halt h = new Halt(
                                rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)));
                        out.add(new Acknowledgement(
                                h, rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                    return out;
                }
            }
        });
    }

    private static List<Halt> halts(Connection c, String scope) throws SQLException {
        String sql = "SELECT scope, day, spend_nanos, since FROM budget_halt"
                + (scope == null ? "" : " WHERE scope = ?") + " ORDER BY scope";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (scope != null) {
                ps.setString(1, scope);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Halt> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Halt(
                            rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
                }
                return out;
            }
        }
    }

    @Override
    public Optional<Instant> admit(String agentId, Duration interval, Instant now) {
        long at = now.toEpochMilli();
        long span = interval.toMillis();
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT admitted_at FROM budget_throttle WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long last = rs.getLong(1);
                        if (at > last - span && at < last + span) {
                            return Optional.of(Instant.ofEpochMilli(last + span));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_throttle VALUES (?, ?)"
                    + " ON CONFLICT (agent_id) DO UPDATE SET admitted_at = excluded.admitted_at")) {
                ps.setString(1, agentId);
                ps.setLong(2, at);
                ps.executeUpdate();
            }
            // Admissions an interval old block nobody any more.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM budget_throttle WHERE admitted_at <= ?")) {
                ps.setLong(1, at - span);
                ps.executeUpdate();
            }
            return Optional.empty();
        });
    }

    /** Budget alerts, halts in force and acknowledgements in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("budget_alert", "budget_halt", "budget_ack")
            .record(
                    SnapshotRecord.BudgetAlertRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT day, scope, level, spend_nanos, at FROM budget_alert ORDER BY day, scope, level",
                            rs -> new SnapshotRecord.BudgetAlertRow(new BudgetAlert(
                                    rs.getString(1),
                                    rs.getString(2),
                                    BudgetLevel.valueOf(rs.getString(3)),
                                    rs.getLong(4),
                                    Instant.ofEpochMilli(rs.getLong(5)))),
                            sink),
                    (c, a) -> SqliteSnapshotPart.update(
                            c,
                            "INSERT INTO budget_alert (day, scope, level, spend_nanos, at) VALUES (?, ?, ?, ?, ?)",
                            a.alert().day(),
                            a.alert().scope(),
                            a.alert().level().name(),
                            a.alert().spendNanos(),
                            a.alert().at().toEpochMilli()))
            .record(
                    SnapshotRecord.HaltRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT scope, day, spend_nanos, since FROM budget_halt ORDER BY scope",
                            rs -> new SnapshotRecord.HaltRow(new Halt(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    Instant.ofEpochMilli(rs.getLong(4)))),
                            sink),
                    (c, h) -> SqliteSnapshotPart.update(
                            c,
                            "INSERT INTO budget_halt (scope, day, spend_nanos, since) VALUES (?, ?, ?, ?)",
                            h.halt().scope(),
                            h.halt().day(),
                            h.halt().spendNanos(),
                            h.halt().since().toEpochMilli()))
            .record(
                    SnapshotRecord.BudgetAckRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT scope, day, spend_nanos, halted_since, by_actor, note, at FROM budget_ack ORDER BY"
                                    + " seq",
                            rs -> new SnapshotRecord.BudgetAckRow(new Acknowledgement(
                                    new Halt(
                                            rs.getString(1),
                                            rs.getString(2),
                                            rs.getLong(3),
                                            Instant.ofEpochMilli(rs.getLong(4))),
                                    rs.getString(5),
                                    rs.getString(6),
                                    Instant.ofEpochMilli(rs.getLong(7)))),
                            sink),
                    (c, a) -> SqliteSnapshotPart.update(
                            c,
                            "INSERT INTO budget_ack (scope, day, spend_nanos, halted_since, by_actor, note, at) VALUES"
                                    + " (?, ?, ?, ?, ?, ?, ?)",
                            a.acknowledgement().halt().scope(),
                            a.acknowledgement().halt().day(),
                            a.acknowledgement().halt().spendNanos(),
                            a.acknowledgement().halt().since().toEpochMilli(),
                            a.acknowledgement().by(),
                            a.acknowledgement().note(),
                            a.acknowledgement().at().toEpochMilli()));
}
