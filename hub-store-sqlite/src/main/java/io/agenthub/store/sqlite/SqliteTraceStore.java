package io.agenthub.store.sqlite;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.trace.TraceCursor;
import io.agenthub.trace.TraceEntry;
import io.agenthub.trace.TraceStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Agents' trails in SQLite, appended in batches. */
final class SqliteTraceStore implements TraceStore {
    static final String COLUMNS = "seq, agent_id, at, kind, action, subject, outcome, millis";
    /** Most rows one write transaction of a purge deletes. */
    static final int PURGE_STEP = 5_000;

    private final SqliteDatabase db;

    SqliteTraceStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void append(List<TraceEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.write(c -> {
            insert(c, entries, false);
            return null;
        });
    }

    static void insert(Connection c, List<TraceEntry> entries, boolean keepSeq) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO trace (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (TraceEntry e : entries) {
                ps.setObject(1, keepSeq ? e.seq() : null);
                ps.setString(2, e.agentId());
                ps.setLong(3, e.at().toEpochMilli());
                ps.setString(4, e.kind());
                ps.setString(5, e.action());
                ps.setString(6, e.subject());
                ps.setString(7, e.outcome());
                ps.setLong(8, e.millis());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<TraceEntry> list(String agentId, Instant since, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM trace WHERE agent_id = ? AND" + " at >= ? ORDER BY at, seq LIMIT ?")) {
                ps.setString(1, agentId);
                ps.setLong(2, since.toEpochMilli());
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<TraceEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public List<TraceEntry> latest(String agentId, Instant since, TraceCursor before, int limit) {
        // Walks the (agent_id, at, seq) index backwards from before.
        long at = before == null ? Long.MAX_VALUE : before.at().toEpochMilli();
        long seq = before == null ? Long.MAX_VALUE : before.seq();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (SELECT " + COLUMNS + " FROM trace WHERE"
                    + " agent_id = ? AND at >= ? AND (at, seq) < (?, ?) ORDER BY at DESC, seq DESC LIMIT ?)"
                    + " ORDER BY at, seq")) {
                ps.setString(1, agentId);
                ps.setLong(2, since.toEpochMilli());
                ps.setLong(3, at);
                ps.setLong(4, seq);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<TraceEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public int purgeBefore(Instant before) {
        // Rows are appended in the order they were recorded, so the oldest by time are the lowest seq: walk seq from
        // the start to the first row recorded at or after the cut (reading only rows that are to go), delete below it.
        long cut = db.read(c -> scalar(
                c,
                "SELECT coalesce((SELECT seq FROM trace WHERE at >= ? ORDER BY seq LIMIT 1), (SELECT max(seq) + 1"
                        + " FROM trace), 0)",
                before.toEpochMilli()));
        return deleteBelow(cut);
    }

    @Override
    public int trimTo(long maxEntries) {
        long cut = db.read(c -> scalar(c, "SELECT coalesce(max(seq), 0) - ? + 1 FROM trace", maxEntries));
        return deleteBelow(cut);
    }

    /**
     * Deletes the rows with {@code seq < cut}, at most {@link #PURGE_STEP} per write transaction, so that writers
     * queued behind the purge wait for one step, not for the whole purge.
     */
    private int deleteBelow(long cut) {
        int total = 0;
        // The read first: on most passes nothing is below the cut, and then the purge costs no write at all.
        while (db.read(c -> scalar(c, "SELECT coalesce(min(seq), ?) FROM trace", cut)) < cut) {
            total += db.write(c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM trace WHERE seq < min(?, (SELECT min(seq) FROM trace) + ?)")) {
                    ps.setLong(1, cut);
                    ps.setLong(2, PURGE_STEP);
                    return ps.executeUpdate();
                }
            });
        }
        return total;
    }

    private static long scalar(Connection c, String sql, long arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static TraceEntry entry(ResultSet rs) throws SQLException {
        return new TraceEntry(
                rs.getLong(1),
                rs.getString(2),
                Instant.ofEpochMilli(rs.getLong(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getLong(8));
    }

    /** Agents' trails in snapshots, with their sequence numbers. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("trace")
            .record(
                    SnapshotRecord.TraceRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + " FROM trace ORDER BY seq",
                            rs -> new SnapshotRecord.TraceRow(entry(rs)),
                            sink),
                    (c, t) -> insert(c, List.of(t.entry()), true));
}
