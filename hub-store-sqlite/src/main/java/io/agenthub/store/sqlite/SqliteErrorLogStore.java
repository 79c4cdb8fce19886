package io.agenthub.store.sqlite;

import io.agenthub.errorlog.ErrorEvent;
import io.agenthub.errorlog.ErrorIssue;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.errorlog.ErrorReport;
import io.agenthub.errorlog.HourlyCount;
import io.agenthub.errorlog.IssueStatus;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The errors tool in SQLite. Each record is one write transaction, so counts are never lost. */
final class SqliteErrorLogStore implements ErrorLogStore {
    static final String ISSUE_COLUMNS = "id, title, culprit, level, status, count, first_seen, last_seen, agents,"
            + " last_message, status_changed_at, status_changed_by";
    static final String EVENT_COLUMNS =
            "seq, issue_id, agent_id, at, level, title, message, culprit, stack_trace, tags";
    private final SqliteDatabase db;

    SqliteErrorLogStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Recorded record(ErrorReport r, int keepEvents, int maxAgents) {
        return db.write(c -> {
            Optional<ErrorIssue> existing = issue(c, r.fingerprint());
            ErrorIssue after;
            boolean reopened = false;
            if (existing.isEmpty()) {
                after = new ErrorIssue(
                        r.fingerprint(),
                        r.title(),
                        r.culprit(),
                        r.level(),
                        IssueStatus.UNRESOLVED,
                        1,
                        r.at(),
                        r.at(),
                        List.of(r.agentId()),
                        r.message(),
                        r.at(),
                        "");
                insertIssue(c, after);
            } else {
                ErrorIssue i = existing.get();
                List<String> agents = new ArrayList<>(i.agents());
                if (!agents.contains(r.agentId()) && agents.size() < maxAgents) {
                    agents.add(r.agentId());
                }
                reopened = i.status() == IssueStatus.RESOLVED;
                after = new ErrorIssue(
                        i.id(),
                        i.title(),
                        i.culprit(),
                        r.level().moreSevereThan(i.level()) ? r.level() : i.level(),
                        reopened ? IssueStatus.UNRESOLVED : i.status(),
                        i.count() + 1,
                        i.firstSeen(),
                        r.at().isAfter(i.lastSeen()) ? r.at() : i.lastSeen(),
                        agents,
                        r.message(),
                        reopened ? r.at() : i.statusChangedAt(),
                        reopened ? "hub" : i.statusChangedBy());
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE error_issue SET level = ?, status = ?, count = ?,"
                                + " last_seen = ?, agents = ?, last_message = ?, status_changed_at = ?, status_changed_by = ?"
                                + " WHERE id = ?")) {
                    ps.setString(1, after.level().name());
                    ps.setString(2, after.status().name());
                    ps.setLong(3, after.count());
                    ps.setLong(4, after.lastSeen().toEpochMilli());
                    ps.setString(5, Json.write(after.agents()));
                    ps.setString(6, after.lastMessage());
                    ps.setLong(7, after.statusChangedAt().toEpochMilli());
                    ps.setString(8, after.statusChangedBy());
                    ps.setString(9, after.id());
                    ps.executeUpdate();
                }
            }
            insertEvent(c, new ErrorEvent(0, after.id(), r), false);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM error_event WHERE issue_id = ? AND seq <="
                    + " coalesce((SELECT seq FROM error_event WHERE issue_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?),"
                    + " -1)")) {
                ps.setString(1, after.id());
                ps.setString(2, after.id());
                ps.setInt(3, keepEvents);
                ps.executeUpdate();
            }
            addHourly(c, r.at().truncatedTo(ChronoUnit.HOURS), r.level(), 1);
            return new Recorded(after, existing.isEmpty(), reopened);
        });
    }

    static void insertIssue(Connection c, ErrorIssue i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO error_issue (" + ISSUE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, i.id());
            ps.setString(2, i.title());
            ps.setString(3, i.culprit());
            ps.setString(4, i.level().name());
            ps.setString(5, i.status().name());
            ps.setLong(6, i.count());
            ps.setLong(7, i.firstSeen().toEpochMilli());
            ps.setLong(8, i.lastSeen().toEpochMilli());
            ps.setString(9, Json.write(i.agents()));
            ps.setString(10, i.lastMessage());
            ps.setLong(11, i.statusChangedAt().toEpochMilli());
            ps.setString(12, i.statusChangedBy());
            ps.executeUpdate();
        }
    }

    /** Inserts an event; with {@code keepSeq} under its own sequence number (restore), else under the next one. */
    static void insertEvent(Connection c, ErrorEvent e, boolean keepSeq) throws SQLException {
        ErrorReport r = e.report();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO error_event (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, keepSeq ? e.seq() : null);
            ps.setString(2, e.issueId());
            ps.setString(3, r.agentId());
            ps.setLong(4, r.at().toEpochMilli());
            ps.setString(5, r.level().name());
            ps.setString(6, r.title());
            ps.setString(7, r.message());
            ps.setString(8, r.culprit());
            ps.setString(9, r.stackTrace());
            ps.setString(10, Json.write(r.tags()));
            ps.executeUpdate();
        }
    }

    static void addHourly(Connection c, Instant hour, ErrorLevel level, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO error_hourly (hour, level, count) VALUES (?, ?, ?)"
                + " ON CONFLICT (hour, level) DO UPDATE SET count = count + excluded.count")) {
            ps.setLong(1, hour.toEpochMilli());
            ps.setString(2, level.name());
            ps.setLong(3, n);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<ErrorIssue> issue(String id) {
        return db.read(c -> issue(c, id));
    }

    private static Optional<ErrorIssue> issue(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ISSUE_COLUMNS + " FROM error_issue WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(issue(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<ErrorIssue> issues(IssueStatus status, ErrorLevel atLeast, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ISSUE_COLUMNS + " FROM error_issue WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        if (atLeast != null) {
            List<ErrorLevel> levels = Arrays.stream(ErrorLevel.values())
                    .filter(l -> !atLeast.moreSevereThan(l))
                    .toList();
            sql.append(" AND level IN (")
                    .append(String.join(", ", levels.stream().map(l -> "?").toList()))
                    .append(')');
            levels.forEach(l -> args.add(l.name()));
        }
        sql.append(" ORDER BY last_seen DESC, id LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<ErrorIssue> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(issue(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public long count(IssueStatus status) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM error_issue WHERE status = ?")) {
                ps.setString(1, status.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<ErrorEvent> events(String issueId, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + EVENT_COLUMNS + " FROM error_event WHERE issue_id = ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, issueId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<ErrorEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Optional<ErrorIssue> setStatus(String issueId, IssueStatus status, String by, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE error_issue SET status = ?, status_changed_at = ?,"
                    + " status_changed_by = ? WHERE id = ?")) {
                ps.setString(1, status.name());
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, by);
                ps.setString(4, issueId);
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return issue(c, issueId);
        });
    }

    @Override
    public List<HourlyCount> hourly(Instant from) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT hour, level, count FROM error_hourly WHERE hour >= ? ORDER BY hour, level")) {
                ps.setLong(1, from.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    List<HourlyCount> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(hourly(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public int purgeHourlyBefore(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM error_hourly WHERE hour < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    static ErrorIssue issue(ResultSet rs) throws SQLException {
        return new ErrorIssue(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                ErrorLevel.valueOf(rs.getString(4)),
                IssueStatus.valueOf(rs.getString(5)),
                rs.getLong(6),
                Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8)),
                Json.list(rs.getString(9)),
                rs.getString(10),
                Instant.ofEpochMilli(rs.getLong(11)),
                rs.getString(12));
    }

    static ErrorEvent event(ResultSet rs) throws SQLException {
        String issueId = rs.getString(2);
        return new ErrorEvent(
                rs.getLong(1),
                issueId,
                new ErrorReport(
                        rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)),
                        ErrorLevel.valueOf(rs.getString(5)),
                        issueId,
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        Json.map(rs.getString(10))));
    }

    static HourlyCount hourly(ResultSet rs) throws SQLException {
        return new HourlyCount(Instant.ofEpochMilli(rs.getLong(1)), ErrorLevel.valueOf(rs.getString(2)), rs.getLong(3));
    }

    /** Error issues, their kept occurrences and the hourly counts in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("error_issue", "error_event", "error_hourly")
            .record(
                    SnapshotRecord.ErrorIssueRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + ISSUE_COLUMNS + " FROM error_issue ORDER BY id",
                            rs -> new SnapshotRecord.ErrorIssueRow(issue(rs)),
                            sink),
                    (c, i) -> insertIssue(c, i.issue()))
            .record(
                    SnapshotRecord.ErrorEventRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + EVENT_COLUMNS + " FROM error_event ORDER BY seq",
                            rs -> new SnapshotRecord.ErrorEventRow(event(rs)),
                            sink),
                    (c, e) -> insertEvent(c, e.event(), true))
            .record(
                    SnapshotRecord.ErrorHourRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT hour, level, count FROM error_hourly ORDER BY hour, level",
                            rs -> new SnapshotRecord.ErrorHourRow(hourly(rs)),
                            sink),
                    (c, h) -> addHourly(
                            c, h.count().hour(), h.count().level(), h.count().count()));
}
