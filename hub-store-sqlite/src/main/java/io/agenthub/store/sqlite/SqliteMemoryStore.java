package io.agenthub.store.sqlite;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryQuota;
import io.agenthub.memory.MemoryStore;
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
 * Shared memory in SQLite. Search runs on the FTS5 table {@code memory_fts}, ranked with BM25; triggers keep the index
 * in step with {@code memory} inside each write transaction, and a soft delete takes the entry out of the index.
 */
final class SqliteMemoryStore implements MemoryStore {
    static final String COLUMNS =
            "m.id, m.category, m.content, m.tags, m.author, m.created_at, m.recall_count, m.last_recalled_at";
    /** BM25 column weights: content, tags. A tag names what an entry is about, so it counts for more. */
    private static final String SCORE = "bm25(memory_fts, 1.0, 2.0)";

    private final SqliteDatabase db;

    SqliteMemoryStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean add(Memory memory, MemoryQuota quota) {
        return db.write(c -> {
            if (!quota.equals(MemoryQuota.NONE)) {
                checkQuota(c, memory, quota);
            }
            long seq;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO memory (id, category, content, tags, author,"
                    + " created_at, recall_count, last_recalled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO NOTHING RETURNING seq")) {
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
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO memory_tag (tag, memory_seq) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (String tag : memory.tags()) {
                    ps.setString(1, tag);
                    ps.setLong(2, seq);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
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
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE memory SET deleted_at = ?, deleted_by = ?" + " WHERE id = ? AND deleted_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, deletedBy);
                ps.setString(3, id);
                return ps.executeUpdate() == 1;
            }
        });
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
                lastRecalledAt);
    }
}
