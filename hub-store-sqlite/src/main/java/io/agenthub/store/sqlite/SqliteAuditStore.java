package io.agenthub.store.sqlite;

import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log in SQLite. */
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
}
