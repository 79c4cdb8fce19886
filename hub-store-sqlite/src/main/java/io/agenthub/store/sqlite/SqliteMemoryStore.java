package io.agenthub.store.sqlite;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryQuota;
import io.agenthub.memory.MemoryStore;
import io.agenthub.memory.MemoryWords;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Shared memory in SQLite. Search runs on the FTS5 table {@code memory_fts} (Porter stems, so word forms match), ranked
 * with BM25; triggers keep the index in step with {@code memory} inside each write transaction, a soft delete takes
 * the entry out of the index and a merge that adds tags reindexes it. A unique partial index on {@code fingerprint}
 * keeps one live entry per fingerprint; every write runs on the single writer, so the look-up and the insert or merge
 * of {@link #add} are one atomic step. The memory quota is counted from the live rows of the author (index
 * {@code memory_author_live}) inside that same step, so forgetting, decay and consolidation free space as soon as they
 * commit, and a restored snapshot needs no counters rebuilt.
 */
final class SqliteMemoryStore implements MemoryStore {
    static final String COLUMNS = "m.id, m.category, m.content, m.tags, m.author, m.created_at, m.recall_count,"
            + " m.last_recalled_at, m.write_count, m.authors, m.updated_at";
    /** Columns after {@link #COLUMNS} in a query that starts with them. */
    static final int NEXT_COLUMN = 12;
    /** BM25 column weights: content, tags. A tag names what an entry is about, so it counts for more. */
    private static final String SCORE = "bm25(memory_fts, 1.0, 2.0)";

    private final SqliteDatabase db;

    SqliteMemoryStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Added> add(Memory memory, MemoryQuota quota) {
        String fingerprint = MemoryWords.fingerprint(memory.category(), memory.content());
        return db.write(c -> {
            if (exists(c, memory.id())) {
                return Optional.empty();
            }
            Optional<Row> twin = row(c, "m.fingerprint = ? AND m.deleted_at IS NULL", fingerprint);
            if (twin.isPresent()) {
                // A merge adds no entry and no content: it counts against no one's quota.
                Memory merged = twin.get().memory().absorb(memory, memory.createdAt());
                update(c, twin.get().seq(), merged, null);
                return Optional.of(new Added(merged, true));
            }
            if (!quota.equals(MemoryQuota.NONE)) {
                checkQuota(c, memory, quota);
            }
            long seq;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO memory (id, category, content, tags, author,"
                    + " created_at, recall_count, last_recalled_at, write_count, authors, updated_at, fingerprint)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq")) {
                ps.setString(1, memory.id());
                ps.setString(2, memory.category().name());
                ps.setString(3, memory.content());
                ps.setString(4, Json.write(memory.tags()));
                ps.setString(5, memory.author());
                ps.setLong(6, memory.createdAt().toEpochMilli());
                ps.setInt(7, memory.recallCount());
                ps.setObject(
                        8,
                        memory.lastRecalledAt() == null
                                ? null
                                : memory.lastRecalledAt().toEpochMilli());
                ps.setInt(9, memory.count());
                ps.setString(10, Json.write(memory.authors()));
                ps.setLong(11, memory.updatedAt().toEpochMilli());
                ps.setString(12, fingerprint);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            addTags(c, seq, memory.tags());
            return Optional.of(new Added(memory, false));
        });
    }

    /** Inside the write transaction: the author's live entries and bytes with this one (index memory_author_live). */
    private static void checkQuota(java.sql.Connection c, Memory memory, MemoryQuota quota)
            throws java.sql.SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(length(CAST(content AS BLOB))), 0)"
                        + " FROM memory WHERE author = ? AND deleted_at IS NULL")) {
            ps.setString(1, memory.author());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long entries = rs.getLong(1) + 1;
                long bytes = rs.getLong(2) + memory.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (!quota.admits(entries, bytes)) {
                    throw quota.exceeded(memory.author(), entries, bytes);
                }
            }
        }
    }

    @Override
    public Optional<Memory> merge(String intoId, String fromId, Instant now) {
        if (intoId.equals(fromId)) {
            return Optional.empty();
        }
        return db.write(c -> {
            Optional<Row> into = row(c, "m.id = ? AND m.deleted_at IS NULL", intoId);
            Optional<Row> from = row(c, "m.id = ? AND m.deleted_at IS NULL", fromId);
            if (into.isEmpty() || from.isEmpty()) {
                return Optional.empty();
            }
            softDelete(c, fromId, "hub", now);
            Memory merged = into.get().memory().absorb(from.get().memory(), now);
            update(c, into.get().seq(), merged, from.get().fingerprint());
            return Optional.of(merged);
        });
    }

    @Override
    public List<String> decay(Instant before, int limit, Instant now) {
        return db.write(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM memory WHERE deleted_at IS NULL AND"
                    + " recall_count = 0 AND updated_at < ? ORDER BY updated_at, seq LIMIT ?")) {
                ps.setLong(1, before.toEpochMilli());
                ps.setInt(2, Math.max(0, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                softDelete(c, id, "hub", now);
            }
            return ids;
        });
    }

    /** A live row with its sequence number and fingerprint. */
    private record Row(long seq, Memory memory, String fingerprint) {}

    private static Optional<Row> row(Connection c, String where, String arg) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + ", m.seq, m.fingerprint FROM memory m WHERE " + where)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(rs.getLong(NEXT_COLUMN), memory(rs), rs.getString(NEXT_COLUMN + 1)));
            }
        }
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM memory WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Writes a merge's result; the entry takes {@code fingerprint} if it has none (null: keep its own). */
    private static void update(Connection c, long seq, Memory m, String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE memory SET tags = ?, recall_count = ?,"
                + " last_recalled_at = ?, write_count = ?, authors = ?, updated_at = ?,"
                + " fingerprint = coalesce(fingerprint, ?) WHERE seq = ?")) {
            ps.setString(1, Json.write(m.tags()));
            ps.setInt(2, m.recallCount());
            ps.setObject(
                    3, m.lastRecalledAt() == null ? null : m.lastRecalledAt().toEpochMilli());
            ps.setInt(4, m.count());
            ps.setString(5, Json.write(m.authors()));
            ps.setLong(6, m.updatedAt().toEpochMilli());
            ps.setString(7, fingerprint);
            ps.setLong(8, seq);
            ps.executeUpdate();
        }
        addTags(c, seq, m.tags());
    }

    private static void addTags(Connection c, long seq, List<String> tags) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO memory_tag (tag, memory_seq) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (String tag : tags) {
                ps.setString(1, tag);
                ps.setLong(2, seq);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static boolean softDelete(Connection c, String id, String by, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE memory SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, by);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<Memory> find(String id) {
        return db.read(c ->
                query(c, "SELECT " + COLUMNS + " FROM memory m WHERE m.id = ? AND m.deleted_at IS NULL", List.of(id))
                        .stream()
                        .findFirst());
    }

    @Override
    public List<Memory> search(String query, List<String> tags, Memory.Category category, int limit) {
        Optional<String> match = FtsQuery.of(query);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM memory m");
        List<Object> args = new ArrayList<>();
        if (match.isPresent()) {
            sql.append(" JOIN (SELECT rowid AS seq, " + SCORE + " AS score FROM memory_fts WHERE memory_fts MATCH ?)"
                    + " f ON f.seq = m.seq");
            args.add(match.get());
        }
        sql.append(" WHERE m.deleted_at IS NULL");
        if (category != null) {
            sql.append(" AND m.category = ?");
            args.add(category.name());
        }
        List<String> wanted = List.copyOf(new LinkedHashSet<>(tags == null ? List.of() : tags));
        if (!wanted.isEmpty()) {
            sql.append(" AND m.seq IN (SELECT memory_seq FROM memory_tag WHERE tag IN (")
                    .append(placeholders(wanted.size()))
                    .append(") GROUP BY memory_seq HAVING count(*) = ?)");
            args.addAll(wanted);
            args.add(wanted.size());
        }
        sql.append(
                match.isPresent()
                        ? " ORDER BY f.score, m.created_at DESC, m.seq DESC"
                        : " ORDER BY m.created_at DESC, m.seq DESC");
        sql.append(" LIMIT ?");
        args.add(Math.max(1, limit));
        return db.read(c -> query(c, sql.toString(), args));
    }

    @Override
    public boolean delete(String id, String deletedBy, Instant now) {
        return db.write(c -> softDelete(c, id, deletedBy, now));
    }

    @Override
    public int recordRecall(Collection<String> ids, Instant now) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(ids));
        if (unique.isEmpty()) {
            return 0;
        }
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE memory SET recall_count = recall_count + 1, last_recalled_at = ? WHERE id IN ("
                            + placeholders(unique.size()) + ") AND deleted_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                for (int i = 0; i < unique.size(); i++) {
                    ps.setString(i + 2, unique.get(i));
                }
                return ps.executeUpdate();
            }
        });
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static List<Memory> query(Connection c, String sql, List<?> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Memory> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(memory(rs));
                }
                return out;
            }
        }
    }

    static Memory memory(ResultSet rs) throws SQLException {
        long recalled = rs.getLong(8);
        Instant lastRecalledAt = rs.wasNull() ? null : Instant.ofEpochMilli(recalled);
        return new Memory(
                rs.getString(1),
                Memory.Category.valueOf(rs.getString(2)),
                rs.getString(3),
                Json.list(rs.getString(4)),
                rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                rs.getInt(7),
                lastRecalledAt,
                rs.getInt(9),
                Json.list(rs.getString(10)),
                Instant.ofEpochMilli(rs.getLong(11)));
    }

    /** Memories in snapshots, forgotten ones included; the tag index and the full-text index are rebuilt. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("memory")
            .record(
                    SnapshotRecord.MemoryRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + ", m.deleted_at, m.deleted_by FROM memory m ORDER BY m.seq",
                            rs -> new SnapshotRecord.MemoryRow(
                                    memory(rs),
                                    SqliteSnapshotPart.instant(rs, NEXT_COLUMN),
                                    rs.getString(NEXT_COLUMN + 1)),
                            sink),
                    (c, m) -> insertMemory(c, m.memory(), m.deletedAt(), m.deletedBy()));

    private static void insertMemory(Connection c, Memory m, Instant deletedAt, String deletedBy) throws SQLException {
        long seq;
        // A live entry takes its fingerprint unless an earlier live one of the snapshot has it (a snapshot from before
        // duplicates were merged); consolidation merges the two later.
        String fingerprint = deletedAt == null ? MemoryWords.fingerprint(m.category(), m.content()) : null;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO memory (id, category, content, tags, author,"
                + " created_at, recall_count, last_recalled_at, deleted_at, deleted_by, write_count, authors,"
                + " updated_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN EXISTS (SELECT 1"
                + " FROM memory WHERE fingerprint = ? AND deleted_at IS NULL) THEN NULL ELSE ? END) RETURNING seq")) {
            ps.setString(1, m.id());
            ps.setString(2, m.category().name());
            ps.setString(3, m.content());
            ps.setString(4, Json.write(m.tags()));
            ps.setString(5, m.author());
            ps.setLong(6, m.createdAt().toEpochMilli());
            ps.setInt(7, m.recallCount());
            ps.setObject(
                    8, m.lastRecalledAt() == null ? null : m.lastRecalledAt().toEpochMilli());
            ps.setObject(9, deletedAt == null ? null : deletedAt.toEpochMilli());
            ps.setString(10, deletedBy);
            ps.setInt(11, m.count());
            ps.setString(12, Json.write(m.authors()));
            ps.setLong(13, m.updatedAt().toEpochMilli());
            ps.setString(14, fingerprint);
            ps.setString(15, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        for (String tag : m.tags()) {
            SqliteSnapshotPart.update(
                    c, "INSERT INTO memory_tag (tag, memory_seq) VALUES (?, ?) ON CONFLICT DO NOTHING", tag, seq);
        }
    }
}
