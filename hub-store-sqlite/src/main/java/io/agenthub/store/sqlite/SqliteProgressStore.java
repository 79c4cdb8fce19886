package io.agenthub.store.sqlite;

import io.agenthub.agent.Progress;
import io.agenthub.agent.ProgressStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Progress marks in SQLite; each method is one statement or one write transaction. */
final class SqliteProgressStore implements ProgressStore {
    private final SqliteDatabase db;

    SqliteProgressStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Instant> progress(String agentId, Instant now) {
        return db.write(c -> {
            Instant stalled = null;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT stalled_since FROM agent_progress WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long since = rs.getLong(1);
                        stalled = rs.wasNull() ? null : Instant.ofEpochMilli(since);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_progress VALUES (?, ?, NULL) ON"
                    + " CONFLICT (agent_id) DO UPDATE SET last_progress_at = max(coalesce(last_progress_at, 0),"
                    + " excluded.last_progress_at), stalled_since = NULL")) {
                ps.setString(1, agentId);
                ps.setLong(2, now.toEpochMilli());
                ps.executeUpdate();
            }
            return Optional.ofNullable(stalled);
        });
    }

    @Override
    public boolean markStalled(String agentId, Instant quietSince, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_progress VALUES (?, NULL, ?) ON CONFLICT"
                    + " (agent_id) DO UPDATE SET stalled_since = excluded.stalled_since WHERE stalled_since IS NULL"
                    + " AND coalesce(last_progress_at, 0) <= ?")) {
                ps.setString(1, agentId);
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, quietSince.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Progress> find(String agentId) {
        return db.read(c -> query(
                        c.prepareStatement(
                                "SELECT agent_id, last_progress_at, stalled_since FROM agent_progress WHERE agent_id = ?"),
                        agentId)
                .stream()
                .findFirst());
    }

    @Override
    public List<Progress> list() {
        return db.read(c -> query(
                c.prepareStatement(
                        "SELECT agent_id, last_progress_at, stalled_since FROM agent_progress ORDER BY agent_id"),
                null));
    }

    private static List<Progress> query(PreparedStatement ps, String agentId) throws SQLException {
        try (ps) {
            if (agentId != null) {
                ps.setString(1, agentId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Progress> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Progress(rs.getString(1), instant(rs, 2), instant(rs, 3)));
                }
                return out;
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** Progress marks and stall marks in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("agent_progress")
            .record(
                    SnapshotRecord.ProgressRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT agent_id, last_progress_at, stalled_since FROM agent_progress ORDER BY agent_id",
                            rs -> new SnapshotRecord.ProgressRow(new Progress(
                                    rs.getString(1),
                                    SqliteSnapshotPart.instant(rs, 2),
                                    SqliteSnapshotPart.instant(rs, 3))),
                            sink),
                    (c, p) -> SqliteSnapshotPart.update(
                            c,
                            "INSERT INTO agent_progress (agent_id, last_progress_at, stalled_since) VALUES (?, ?, ?)",
                            p.progress().agentId(),
                            SqliteSnapshotPart.millis(p.progress().lastProgressAt()),
                            SqliteSnapshotPart.millis(p.progress().stalledSince())));
}
