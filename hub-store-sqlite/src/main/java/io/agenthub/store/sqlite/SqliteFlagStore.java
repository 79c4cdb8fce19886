package io.agenthub.store.sqlite;

import io.agenthub.flag.Flag;
import io.agenthub.flag.FlagStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Feature flags in SQLite; a change and the version's increment are one write transaction. */
final class SqliteFlagStore implements FlagStore {
    private final SqliteDatabase db;

    SqliteFlagStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public List<Flag> list() {
        return db.read(SqliteFlagStore::all);
    }

    /** Every flag by key (also for the snapshot). */
    static List<Flag> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM flag ORDER BY key");
                ResultSet rs = ps.executeQuery()) {
            List<Flag> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Json.read(rs.getString(1), Flag.class));
            }
            return out;
        }
    }

    @Override
    public long put(Flag flag) {
        return db.write(c -> {
            insert(c, flag);
            return bump(c);
        });
    }

    /** Writes a flag (also for the restore). */
    static void insert(Connection c, Flag flag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO flag (key, doc) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET doc = excluded.doc")) {
            ps.setString(1, flag.key());
            ps.setString(2, Json.write(flag));
            ps.executeUpdate();
        }
    }

    @Override
    public long delete(String key) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM flag WHERE key = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate() == 0 ? -1L : bump(c);
            }
        });
    }

    static long bump(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE counter SET value = value + 1 WHERE name = 'flag_version' RETURNING value");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public long version() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM counter WHERE name = 'flag_version'");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Feature flags in snapshots; each restored flag raises the definitions' version. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("flag")
            .record(
                    SnapshotRecord.FlagRow.class,
                    (c, sink) -> {
                        for (Flag f : all(c)) {
                            sink.accept(new SnapshotRecord.FlagRow(f));
                        }
                    },
                    (c, fl) -> {
                        insert(c, fl.flag());
                        bump(c);
                    });
}
