package io.agenthub.store.sqlite;

import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditStore;
import io.agenthub.audit.SecurityEvent;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log in SQLite, and the security events per minute ({@code security_event}). */
final class SqliteAuditStore implements AuditStore {
    private final SqliteDatabase db;

    SqliteAuditStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public AuditEvent append(AuditEvent e) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (at, actor, action, subject, details)"
                    + " VALUES (?, ?, ?, ?, ?) RETURNING seq")) {
                ps.setLong(1, e.at().toEpochMilli());
                ps.setString(2, e.actor());
                ps.setString(3, e.action());
                ps.setString(4, e.subject());
                ps.setString(5, Json.write(e.details()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new AuditEvent(rs.getLong(1), e.at(), e.actor(), e.action(), e.subject(), e.details());
                }
            }
        });
    }

    @Override
    public List<AuditEvent> list(long after, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, actor, action, subject, details FROM audit"
                    + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AuditEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new AuditEvent(
                                rs.getLong(1),
                                Instant.ofEpochMilli(rs.getLong(2)),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                Json.map(rs.getString(6))));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public List<AuditEvent> latest(long before, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (SELECT seq, at, actor, action,"
                    + " subject, details FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq")) {
                ps.setLong(1, before);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AuditEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new AuditEvent(
                                rs.getLong(1),
                                Instant.ofEpochMilli(rs.getLong(2)),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                Json.map(rs.getString(6))));
                    }
                    return out;
                }
            }
        });
    }

    /** The audit log in snapshots, with its sequence numbers. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("audit")
            .record(
                    SnapshotRecord.AuditRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT seq, at, actor, action, subject, details FROM audit ORDER BY seq",
                            rs -> new SnapshotRecord.AuditRow(new AuditEvent(
                                    rs.getLong(1),
                                    Instant.ofEpochMilli(rs.getLong(2)),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    Json.map(rs.getString(6)))),
                            sink),
                    (c, a) -> insertAudit(c, a.event()));

    private static void insertAudit(java.sql.Connection c, AuditEvent e) throws java.sql.SQLException {
        SqliteSnapshotPart.update(
                c,
                "INSERT INTO audit (seq, at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?, ?)",
                e.seq(),
                e.at().toEpochMilli(),
                e.actor(),
                e.action(),
                e.subject(),
                Json.write(e.details()));
    }

    @Override
    public void addSecurityEvents(Instant minute, List<SecurityEvent> counts) {
        if (counts.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO security_event (bucket, kind, subject, detail, count) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (bucket, kind, subject, detail) DO UPDATE SET count = count + excluded.count")) {
                for (SecurityEvent e : counts) {
                    ps.setLong(1, minute.toEpochMilli());
                    ps.setString(2, e.kind());
                    ps.setString(3, e.subject());
                    ps.setString(4, e.detail());
                    ps.setLong(5, e.count());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    @Override
    public List<SecurityEvent> securityEvents(Instant from, Instant to) {
        List<SecurityEvent> out = db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT kind, subject, detail, sum(count) FROM security_event"
                            + " WHERE bucket >= ? AND bucket < ? GROUP BY kind, subject, detail")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    List<SecurityEvent> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(new SecurityEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                    return rows;
                }
            }
        });
        out.sort(SecurityEvent.ORDER);
        return out;
    }

    @Override
    public int purgeSecurityEventsBefore(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM security_event WHERE bucket < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
