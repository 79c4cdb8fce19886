package io.agenthub.store.sqlite;

import io.agenthub.message.Message;
import io.agenthub.message.MessageStore;
import io.agenthub.message.NewMessage;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages in SQLite. Cursors are the {@code AUTOINCREMENT} key of the {@code message} table, so they are never reused;
 * appends run in the single serialized write transaction of {@link SqliteDatabase}, so they commit in cursor order.
 */
final class SqliteMessageStore implements MessageStore {
    /**
     * The channels that hold messages, in order: a skip-scan of the {@code (channel, cursor)} index, one lookup per
     * channel. {@code SELECT DISTINCT channel} walked the whole index instead (24 ms at 336,000 messages), in every
     * retention step while holding the writer.
     */
    static final String CHANNELS = "WITH RECURSIVE c(channel) AS (SELECT min(channel) FROM message WHERE channel > ''"
            + " UNION ALL SELECT (SELECT min(channel) FROM message WHERE channel > c.channel) FROM c WHERE c.channel IS"
            + " NOT NULL) SELECT channel FROM c WHERE channel IS NOT NULL";

    static final String COLUMNS =
            "m.cursor, m.kind, m.channel, m.author, m.recipient, m.text, m.reply_to, m.mentions, m.created_at";
    private final SqliteDatabase db;
    /** Followers of a channel read its newest messages from here ({@link RecentChannels}). */
    private final RecentChannels recent = new RecentChannels();

    SqliteMessageStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Message append(NewMessage n) {
        long createdAt = n.createdAt().toEpochMilli();
        return db.write(c -> {
            long cursor;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO message (kind, channel, author, recipient,"
                    + " text, reply_to, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING cursor")) {
                ps.setString(1, n.kind().name());
                ps.setString(2, n.channel());
                ps.setString(3, n.author());
                ps.setString(4, n.to());
                ps.setString(5, n.text());
                ps.setString(6, n.replyTo());
                ps.setString(7, Json.write(n.mentions()));
                ps.setLong(8, createdAt);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    cursor = rs.getLong(1);
                }
            }
            List<String> recipients = n.recipients();
            if (!recipients.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox (agent_id, cursor) VALUES (?, ?)")) {
                    for (String agentId : recipients) {
                        ps.setString(1, agentId);
                        ps.setLong(2, cursor);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            Message m = new Message(
                    cursor,
                    Message.idOf(cursor),
                    n.kind(),
                    n.channel(),
                    n.author(),
                    n.to(),
                    n.text(),
                    n.replyTo(),
                    n.mentions(),
                    Instant.ofEpochMilli(createdAt));
            // A channel without a tail starts one at this message; it covers from the channel's previous message (0 for
            // a new channel), so followers of a channel begun since the store opened never read the table.
            long previous = recent.has(n.channel()) ? -1 : previousInChannel(c, n.channel(), cursor);
            db.afterCommit(() -> recent.appended(m, previous));
            return m;
        });
    }

    @Override
    public List<Message> channel(String channel, long after, int limit) {
        Optional<List<Message>> held = recent.page(channel, after, limit);
        if (held.isPresent()) {
            return held.get();
        }
        return db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM message m WHERE m.channel = ? AND m.cursor > ? ORDER BY m.cursor LIMIT ?",
                channel,
                after,
                limit));
    }

    @Override
    public List<Message> latest(String channel, long before, int limit) {
        // Walks the (channel, cursor) index backwards from before.
        return db.read(c -> query(
                c,
                "SELECT * FROM (SELECT " + COLUMNS + " FROM message m WHERE m.channel = ? AND m.cursor < ? ORDER BY"
                        + " m.cursor DESC LIMIT ?) ORDER BY cursor",
                channel,
                before,
                limit));
    }

    @Override
    public List<Message> inbox(String agentId, long after, int limit) {
        return db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM inbox i JOIN message m ON m.cursor = i.cursor WHERE i.agent_id = ? AND"
                        + " i.cursor > ? ORDER BY i.cursor LIMIT ?",
                agentId,
                after,
                limit));
    }

    @Override
    public List<Message> chat(long after, int limit) {
        return db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM message m WHERE m.cursor > ? AND m.channel <> '' ORDER BY m.cursor"
                        + " LIMIT ?",
                after,
                limit));
    }

    @Override
    public List<Message> chatAndInbox(String agentId, long after, int limit) {
        return db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM message m WHERE m.cursor > ? AND (m.channel <> '' OR EXISTS (SELECT 1"
                        + " FROM inbox i WHERE i.agent_id = ? AND i.cursor = m.cursor)) ORDER BY m.cursor LIMIT ?",
                after,
                agentId,
                limit));
    }

    @Override
    public List<Message> all(long after, int limit) {
        return db.read(c -> query(
                c, "SELECT " + COLUMNS + " FROM message m WHERE m.cursor > ? ORDER BY m.cursor LIMIT ?", after, limit));
    }

    @Override
    public Optional<Message> find(String id) {
        long cursor = cursorOf(id);
        if (cursor <= 0) {
            return Optional.empty();
        }
        return db.read(c -> query(c, "SELECT " + COLUMNS + " FROM message m WHERE m.cursor = ?", cursor).stream()
                .findFirst());
    }

    @Override
    public List<String> channels() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(CHANNELS);
                    ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public List<Message> since(Instant since, int limit) {
        List<Message> newestFirst = db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM message m WHERE m.created_at >= ? ORDER BY m.cursor DESC LIMIT ?",
                since.toEpochMilli(),
                limit));
        return newestFirst.reversed();
    }

    @Override
    public void acknowledge(String agentId, long cursor) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox_ack (agent_id, cursor) VALUES (?, ?)"
                    + " ON CONFLICT (agent_id) DO UPDATE SET cursor = max(cursor, excluded.cursor)")) {
                ps.setString(1, agentId);
                ps.setLong(2, cursor);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long acknowledged(String agentId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cursor FROM inbox_ack WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public long latestCursor() {
        // sqlite_sequence keeps the highest AUTOINCREMENT value ever used, also when that row has been deleted.
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'message'), 0)");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public int purge(Instant olderThan, int perChannelCap, int max) {
        return db.write(c -> {
            // The highest cursor deleted in each channel, for the tails in memory to let go of what is gone.
            Map<String, Long> gone = new HashMap<>();
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM message WHERE cursor IN (SELECT cursor FROM"
                    + " message WHERE created_at < ? ORDER BY created_at LIMIT ?) RETURNING channel, cursor")) {
                ps.setLong(1, olderThan.toEpochMilli());
                ps.setInt(2, max);
                deleted = deletedInto(ps, gone);
            }
            // Per channel: everything at or below the cursor that has perChannelCap newer messages above it.
            List<String> channels = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CHANNELS);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    channels.add(rs.getString(1));
                }
            }
            for (String channel : channels) {
                if (deleted >= max) {
                    break;
                }
                long cut;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT cursor FROM message WHERE channel = ? ORDER BY cursor DESC LIMIT 1 OFFSET ?")) {
                    ps.setString(1, channel);
                    ps.setInt(2, Math.max(0, perChannelCap));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        cut = rs.getLong(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM message WHERE cursor IN (SELECT cursor"
                        + " FROM message WHERE channel = ? AND cursor <= ? ORDER BY cursor LIMIT ?) RETURNING channel,"
                        + " cursor")) {
                    ps.setString(1, channel);
                    ps.setLong(2, cut);
                    ps.setInt(3, max - deleted);
                    deleted += deletedInto(ps, gone);
                }
            }
            // Inbox rows go with their messages through ON DELETE CASCADE (foreign_keys is on for every connection).
            if (!gone.isEmpty()) {
                Map<String, Long> through = Map.copyOf(gone);
                db.afterCommit(() -> recent.deleted(through));
            }
            return deleted;
        });
    }

    /** The cursor of the channel's newest message before {@code cursor}, 0 if there is none. */
    private static long previousInChannel(Connection c, String channel, long cursor) throws SQLException {
        if (channel == null || channel.isEmpty()) {
            return -1;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT coalesce(max(cursor), 0) FROM message WHERE channel = ? AND cursor < ?")) {
            ps.setString(1, channel);
            ps.setLong(2, cursor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /**
     * Runs a {@code DELETE ... RETURNING channel, cursor}, noting the highest cursor per channel (direct messages have
     * none); returns the rows deleted.
     */
    private static int deletedInto(PreparedStatement ps, Map<String, Long> gone) throws SQLException {
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
                String channel = rs.getString(1);
                if (channel != null && !channel.isEmpty()) {
                    gone.merge(channel, rs.getLong(2), Math::max);
                }
            }
        }
        return n;
    }

    /** The cursor named by a canonical id such as {@code m42}; 0 for anything else. */
    private static long cursorOf(String id) {
        if (id == null || id.length() < 2 || id.length() > 20 || id.charAt(0) != 'm') {
            return 0;
        }
        try {
            long cursor = Long.parseLong(id.substring(1));
            return Message.idOf(cursor).equals(id) ? cursor : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Message> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Message> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(message(rs));
                }
                return out;
            }
        }
    }

    static Message message(ResultSet rs) throws SQLException {
        long cursor = rs.getLong(1);
        return new Message(
                cursor,
                Message.idOf(cursor),
                Message.Kind.valueOf(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                Json.list(rs.getString(8)),
                Instant.ofEpochMilli(rs.getLong(9)));
    }

    /**
     * Messages in snapshots: the cursor counter, every message, inbox entries and acknowledgements. The restored
     * cursor counter continues above the highest cursor of the snapshot.
     */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("message", "inbox", "inbox_ack")
            .record(
                    SnapshotRecord.Cursor.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'message'), 0)",
                            rs -> new SnapshotRecord.Cursor(rs.getLong(1)),
                            sink),
                    (c, cur) -> SqliteSnapshotPart.raiseSequence(c, "message", cur.lastCursor()))
            .record(
                    SnapshotRecord.MessageRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + " FROM message m ORDER BY m.cursor",
                            rs -> new SnapshotRecord.MessageRow(message(rs)),
                            sink),
                    (c, m) -> insertMessage(c, m.message()))
            .record(
                    SnapshotRecord.InboxRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT agent_id, cursor FROM inbox ORDER BY cursor, agent_id",
                            rs -> new SnapshotRecord.InboxRow(rs.getString(1), rs.getLong(2)),
                            sink),
                    (c, i) -> SqliteSnapshotPart.update(
                            c, "INSERT INTO inbox (agent_id, cursor) VALUES (?, ?)", i.agentId(), i.cursor()))
            .record(
                    SnapshotRecord.AckRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT agent_id, cursor FROM inbox_ack ORDER BY agent_id",
                            rs -> new SnapshotRecord.AckRow(rs.getString(1), rs.getLong(2)),
                            sink),
                    (c, a) -> SqliteSnapshotPart.update(
                            c, "INSERT INTO inbox_ack (agent_id, cursor) VALUES (?, ?)", a.agentId(), a.cursor()));

    private static void insertMessage(Connection c, Message m) throws SQLException {
        SqliteSnapshotPart.update(
                c,
                "INSERT INTO message (cursor, kind, channel, author, recipient, text, reply_to, mentions, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.cursor(),
                m.kind().name(),
                m.channel(),
                m.author(),
                m.to(),
                m.text(),
                m.replyTo(),
                Json.write(m.mentions()),
                m.createdAt().toEpochMilli());
    }
}
