package io.agenthub.store.sqlite;

import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints in SQLite. A save reads the agent's highest version, inserts the next one and prunes, all in one write
 * transaction of {@link SqliteDatabase}, whose writes are serialized; so versions are distinct and consecutive.
 */
final class SqliteCheckpointStore implements CheckpointStore {
    static final String COLUMNS = "agent_id, version, current_task, progress, decisions, blockers,"
            + " pending_work, files_touched, context, context_tokens, created_at";

    private final SqliteDatabase db;

    SqliteCheckpointStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Checkpoint save(String agentId, CheckpointData data, Instant now, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
        return db.write(c -> {
            long version = highestVersion(c, agentId) + 1;
            Checkpoint checkpoint = Checkpoint.of(agentId, version, data, Instant.ofEpochMilli(now.toEpochMilli()));
            insert(c, checkpoint);
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM checkpoint WHERE agent_id = ? AND version <= ?")) {
                ps.setString(1, agentId);
                ps.setLong(2, version - keep);
                ps.executeUpdate();
            }
            return checkpoint;
        });
    }

    @Override
    public Optional<Checkpoint> latest(String agentId) {
        return versions(agentId, 1).stream().findFirst();
    }

    @Override
    public List<Checkpoint> versions(String agentId, int limit) {
        return db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM checkpoint WHERE agent_id = ? ORDER BY version DESC LIMIT ?",
                agentId,
                Math.max(1, limit)));
    }

    @Override
    public Optional<Checkpoint> version(String agentId, long version) {
        return db.read(c ->
                query(c, "SELECT " + COLUMNS + " FROM checkpoint WHERE agent_id = ? AND version = ?", agentId, version)
                        .stream()
                        .findFirst());
    }

    private static long highestVersion(Connection c, String agentId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT coalesce(max(version), 0) FROM checkpoint WHERE agent_id = ?")) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void insert(Connection c, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO checkpoint (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, cp.agentId());
            ps.setLong(2, cp.version());
            ps.setString(3, cp.currentTask());
            ps.setString(4, cp.progress());
            ps.setString(5, Json.write(cp.decisions()));
            ps.setString(6, Json.write(cp.blockers()));
            ps.setString(7, Json.write(cp.pendingWork()));
            ps.setString(8, Json.write(cp.filesTouched()));
            ps.setString(9, cp.context());
            ps.setLong(10, cp.contextTokens());
            ps.setLong(11, cp.createdAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    static List<Checkpoint> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Checkpoint> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Checkpoint(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getString(3),
                            rs.getString(4),
                            Json.list(rs.getString(5)),
                            Json.list(rs.getString(6)),
                            Json.list(rs.getString(7)),
                            Json.list(rs.getString(8)),
                            rs.getString(9),
                            rs.getLong(10),
                            Instant.ofEpochMilli(rs.getLong(11))));
                }
                return out;
            }
        }
    }

    /** Checkpoints in snapshots, every kept version. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("checkpoint")
            .record(
                    SnapshotRecord.CheckpointRow.class,
                    (c, sink) -> {
                        for (var cp : query(c, "SELECT " + COLUMNS + " FROM checkpoint ORDER BY agent_id, version")) {
                            sink.accept(new SnapshotRecord.CheckpointRow(cp));
                        }
                    },
                    (c, cp) -> insert(c, cp.checkpoint()));
}
