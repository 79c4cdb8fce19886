package io.agenthub.store.sqlite;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.usage.TranscriptCursor;
import io.agenthub.usage.TranscriptCursorStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Transcript cursors in SQLite: one row per agent and session; the compare-and-set is one write transaction. */
final class SqliteTranscriptCursorStore implements TranscriptCursorStore {
    private final SqliteDatabase db;

    SqliteTranscriptCursorStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<TranscriptCursor> find(String agentId, String sessionId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT byte_offset, last_message_id FROM transcript_cursor"
                    + " WHERE agent_id = ? AND session_id = ?")) {
                ps.setString(1, agentId);
                ps.setString(2, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new TranscriptCursor(rs.getLong(1), rs.getString(2)))
                            : Optional.<TranscriptCursor>empty();
                }
            }
        });
    }

    @Override
    public boolean advance(
            String agentId,
            String sessionId,
            TranscriptCursor expected,
            TranscriptCursor next,
            Instant now,
            Duration keep) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM transcript_cursor WHERE updated_at < ?")) {
                ps.setLong(1, now.minus(keep).toEpochMilli());
                ps.executeUpdate();
            }
            TranscriptCursor current = TranscriptCursor.START;
            try (PreparedStatement ps = c.prepareStatement("SELECT byte_offset, last_message_id FROM transcript_cursor"
                    + " WHERE agent_id = ? AND session_id = ?")) {
                ps.setString(1, agentId);
                ps.setString(2, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        current = new TranscriptCursor(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            if (!current.equals(expected)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transcript_cursor VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (agent_id, session_id) DO UPDATE SET byte_offset = excluded.byte_offset,"
                    + " last_message_id = excluded.last_message_id, updated_at = excluded.updated_at")) {
                ps.setString(1, agentId);
                ps.setString(2, sessionId);
                ps.setLong(3, next.offset());
                ps.setString(4, next.lastMessageId());
                ps.setLong(5, now.toEpochMilli());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Transcript read positions in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("transcript_cursor")
            .record(
                    SnapshotRecord.TranscriptCursorRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT agent_id, session_id, byte_offset, last_message_id, updated_at FROM"
                                    + " transcript_cursor ORDER BY agent_id, session_id",
                            rs -> new SnapshotRecord.TranscriptCursorRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    new io.agenthub.usage.TranscriptCursor(rs.getLong(3), rs.getString(4)),
                                    Instant.ofEpochMilli(rs.getLong(5))),
                            sink),
                    (c, t) -> SqliteSnapshotPart.update(
                            c,
                            "INSERT INTO transcript_cursor (agent_id, session_id, byte_offset, last_message_id,"
                                    + " updated_at) VALUES (?, ?, ?, ?, ?)",
                            t.agentId(),
                            t.sessionId(),
                            t.cursor().offset(),
                            t.cursor().lastMessageId(),
                            t.updatedAt().toEpochMilli()));
}
