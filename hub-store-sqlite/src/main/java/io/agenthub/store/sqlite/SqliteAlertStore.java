package io.agenthub.store.sqlite;

import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.alert.AlertStore;
import io.agenthub.alert.Severity;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Alert states and history in SQLite; a transition is one write transaction. */
final class SqliteAlertStore implements AlertStore {
    static final String STATE_COLUMNS = "rule, status, severity, since, value, summary, version";
    static final String EVENT_COLUMNS = "seq, rule, severity, kind, at, value, summary, started_at";
    private final SqliteDatabase db;

    SqliteAlertStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public List<AlertState> states() {
        return db.read(c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT " + STATE_COLUMNS + " FROM alert_state ORDER BY rule");
                    ResultSet rs = ps.executeQuery()) {
                List<AlertState> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(state(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<AlertState> state(String rule) {
        return db.read(c -> state(c, rule));
    }

    private static Optional<AlertState> state(Connection c, String rule) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + STATE_COLUMNS + " FROM alert_state WHERE rule = ?")) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(state(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<Recorded> transition(long expectedVersion, AlertState next, AlertEvent event) {
        return db.write(c -> {
            long current = state(c, next.rule()).map(AlertState::version).orElse(0L);
            if (current != expectedVersion) {
                return Optional.empty();
            }
            AlertState stored = new AlertState(
                    next.rule(),
                    next.status(),
                    next.severity(),
                    next.since(),
                    next.value(),
                    next.summary(),
                    expectedVersion + 1);
            upsertState(c, stored);
            AlertEvent appended = event == null ? null : insertEvent(c, event, false);
            return Optional.of(new Recorded(stored, appended));
        });
    }

    static void upsertState(Connection c, AlertState s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_state (" + STATE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule) DO UPDATE SET status = excluded.status,"
                + " severity = excluded.severity, since = excluded.since, value = excluded.value,"
                + " summary = excluded.summary, version = excluded.version")) {
            ps.setString(1, s.rule());
            ps.setString(2, s.status().name());
            ps.setString(3, s.severity().name());
            ps.setLong(4, s.since().toEpochMilli());
            setDouble(ps, 5, s.value());
            ps.setString(6, s.summary());
            ps.setLong(7, s.version());
            ps.executeUpdate();
        }
    }

    /** Inserts an event; with {@code keepSeq} under its own sequence number (restore), else under the next one. */
    static AlertEvent insertEvent(Connection c, AlertEvent e, boolean keepSeq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alert_event (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq")) {
            ps.setObject(1, keepSeq ? e.seq() : null);
            ps.setString(2, e.rule());
            ps.setString(3, e.severity().name());
            ps.setString(4, e.kind().name());
            ps.setLong(5, e.at().toEpochMilli());
            setDouble(ps, 6, e.value());
            ps.setString(7, e.summary());
            ps.setLong(8, e.startedAt().toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return e.withSeq(rs.getLong(1));
            }
        }
    }

    @Override
    public List<AlertEvent> history(int limit) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM alert_event ORDER BY seq DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AlertEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public int purgeHistoryBefore(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_event WHERE at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    static AlertState state(ResultSet rs) throws SQLException {
        return new AlertState(
                rs.getString(1),
                AlertState.Status.valueOf(rs.getString(2)),
                Severity.valueOf(rs.getString(3)),
                Instant.ofEpochMilli(rs.getLong(4)),
                getDouble(rs, 5),
                rs.getString(6),
                rs.getLong(7));
    }

    static AlertEvent event(ResultSet rs) throws SQLException {
        return new AlertEvent(
                rs.getLong(1),
                rs.getString(2),
                Severity.valueOf(rs.getString(3)),
                AlertEvent.Kind.valueOf(rs.getString(4)),
                Instant.ofEpochMilli(rs.getLong(5)),
                getDouble(rs, 6),
                rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8)));
    }

    /** Alert rule states and the firing and resolution history in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("alert_state", "alert_event")
            .record(
                    SnapshotRecord.AlertStateRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + STATE_COLUMNS + " FROM alert_state ORDER BY rule",
                            rs -> new SnapshotRecord.AlertStateRow(state(rs)),
                            sink),
                    (c, s) -> upsertState(c, s.state()))
            .record(
                    SnapshotRecord.AlertEventRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + EVENT_COLUMNS + " FROM alert_event ORDER BY seq",
                            rs -> new SnapshotRecord.AlertEventRow(event(rs)),
                            sink),
                    (c, e) -> insertEvent(c, e.event(), true));
}
