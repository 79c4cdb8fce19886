package io.agenthub.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A bounded history of runs (self-test, drill) in one table {@code (id, started_at, body)}, each run one JSON document;
 * saving trims to the newest few in the same transaction.
 */
final class SqliteRunLog<T> {
    private final String table;
    private final Class<T> type;
    private final Function<T, String> id;
    private final Function<T, Instant> startedAt;

    SqliteRunLog(String table, Class<T> type, Function<T, String> id, Function<T, Instant> startedAt) {
        this.table = table;
        this.type = type;
        this.id = id;
        this.startedAt = startedAt;
    }

    void save(SqliteDatabase db, T run, int keep) {
        db.write(c -> {
            insert(c, run);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id NOT IN (SELECT id FROM "
                    + table + " ORDER BY started_at DESC, id DESC LIMIT ?)")) {
                ps.setInt(1, keep);
                return ps.executeUpdate();
            }
        });
    }

    void insert(Connection c, T run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, started_at, body) VALUES (?, ?,"
                + " ?) ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, body = excluded.body")) {
            ps.setString(1, id.apply(run));
            ps.setLong(2, startedAt.apply(run).toEpochMilli());
            ps.setString(3, Json.write(run));
            ps.executeUpdate();
        }
    }

    Optional<T> latest(SqliteDatabase db) {
        return recent(db, 1).stream().findFirst();
    }

    List<T> recent(SqliteDatabase db, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT body FROM " + table + " ORDER BY started_at DESC, id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                return rows(ps);
            }
        });
    }

    /** Every run, oldest first (for snapshots). */
    List<T> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM " + table + " ORDER BY started_at, id")) {
            return rows(ps);
        }
    }

    private List<T> rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Json.read(rs.getString(1), type));
            }
            return out;
        }
    }
}
