package io.agenthub.store.sqlite;

import io.agenthub.selftest.SelfTestRun;
import io.agenthub.selftest.SelfTestStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Self-test runs in SQLite, each as one JSON document. */
final class SqliteSelfTestStore implements SelfTestStore {
    private final SqliteDatabase db;

    SqliteSelfTestStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void save(SelfTestRun run, int keep) {
        db.write(c -> {
            insert(c, run);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM self_test_run WHERE id NOT IN (SELECT id FROM"
                    + " self_test_run ORDER BY started_at DESC, id DESC LIMIT ?)")) {
                ps.setInt(1, keep);
                return ps.executeUpdate();
            }
        });
    }

    static void insert(Connection c, SelfTestRun run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO self_test_run (id, started_at, body) VALUES (?, ?,"
                + " ?) ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, body = excluded.body")) {
            ps.setString(1, run.id());
            ps.setLong(2, run.startedAt().toEpochMilli());
            ps.setString(3, Json.write(run));
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<SelfTestRun> latest() {
        return recent(1).stream().findFirst();
    }

    @Override
    public List<SelfTestRun> recent(int limit) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT body FROM self_test_run ORDER BY started_at DESC, id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<SelfTestRun> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(Json.read(rs.getString(1), SelfTestRun.class));
                    }
                    return out;
                }
            }
        });
    }

    /** Self-test runs in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("self_test_run")
            .record(
                    SnapshotRecord.SelfTestRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT body FROM self_test_run ORDER BY started_at, id",
                            rs -> new SnapshotRecord.SelfTestRow(Json.read(rs.getString(1), SelfTestRun.class)),
                            sink),
                    (c, s) -> insert(c, s.run()));
}
