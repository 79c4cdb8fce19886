package io.agenthub.store.sqlite;

import io.agenthub.rollout.Rollout;
import io.agenthub.rollout.RolloutStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rollouts in SQLite: a save is a compare-and-set on the revision in one write transaction. */
final class SqliteRolloutStore implements RolloutStore {
    private final SqliteDatabase db;

    SqliteRolloutStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Rollout> find(String pool) {
        return db.read(c -> find(c, pool));
    }

    private static Optional<Rollout> find(Connection c, String pool) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM rollout WHERE pool = ?")) {
            ps.setString(1, pool);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Json.read(rs.getString(1), Rollout.class)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Rollout> list() {
        return db.read(SqliteRolloutStore::all);
    }

    /** Every rollout by pool (also for the snapshot). */
    static List<Rollout> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM rollout ORDER BY pool");
                ResultSet rs = ps.executeQuery()) {
            List<Rollout> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Json.read(rs.getString(1), Rollout.class));
            }
            return out;
        }
    }

    @Override
    public Optional<Rollout> save(Rollout next, long expectedRevision) {
        return db.write(c -> {
            long current = find(c, next.pool()).map(Rollout::revision).orElse(0L);
            if (current != expectedRevision) {
                return Optional.empty();
            }
            Rollout stored = next.withRevision(expectedRevision + 1);
            put(c, stored);
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM rollout_count WHERE pool = ? AND window <> ?")) {
                ps.setString(1, stored.pool());
                ps.setLong(2, stored.window());
                ps.executeUpdate();
            }
            return Optional.of(stored);
        });
    }

    @Override
    public boolean delete(String pool, long expectedRevision) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rollout WHERE pool = ? AND revision = ?")) {
                ps.setString(1, pool);
                ps.setLong(2, expectedRevision);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rollout_count WHERE pool = ?")) {
                ps.setString(1, pool);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Writes a rollout as it is (also for the restore). */
    static void put(Connection c, Rollout r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rollout (pool, revision, window, doc) VALUES (?, ?, ?, ?) ON CONFLICT (pool) DO UPDATE"
                        + " SET revision = excluded.revision, window = excluded.window, doc = excluded.doc")) {
            ps.setString(1, r.pool());
            ps.setLong(2, r.revision());
            ps.setLong(3, r.window());
            ps.setString(4, Json.write(r));
            ps.executeUpdate();
        }
    }

    @Override
    public void count(String pool, long window, Side side, Outcome outcome, long durationMs) {
        String column = switch (outcome) {
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case ERROR_REPORT -> "errors";
        };
        long ms = outcome == Outcome.ERROR_REPORT ? 0 : Math.max(0, durationMs);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_count (pool, window, side, " + column
                    + ", duration_ms) SELECT ?, ?, ?, 1, ? WHERE EXISTS (SELECT 1 FROM rollout WHERE pool = ? AND"
                    + " window = ?) ON CONFLICT (pool, window, side) DO UPDATE SET " + column + " = " + column
                    + " + 1, duration_ms = duration_ms + excluded.duration_ms")) {
                ps.setString(1, pool);
                ps.setLong(2, window);
                ps.setString(3, side.label());
                ps.setLong(4, ms);
                ps.setString(5, pool);
                ps.setLong(6, window);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Health health(String pool, long window) {
        return db.read(c -> {
            Counts baseline = Counts.ZERO;
            Counts candidate = Counts.ZERO;
            try (PreparedStatement ps = c.prepareStatement("SELECT side, completed, failed, errors, duration_ms FROM"
                    + " rollout_count WHERE pool = ? AND window = ?")) {
                ps.setString(1, pool);
                ps.setLong(2, window);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Counts n = new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                        if (rs.getString(1).equals(Side.CANDIDATE.label())) {
                            candidate = n;
                        } else {
                            baseline = n;
                        }
                    }
                }
            }
            return new Health(baseline, candidate);
        });
    }

    /** Rollouts in snapshots, one per pool. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("rollout")
            .record(
                    SnapshotRecord.RolloutRow.class,
                    (c, sink) -> {
                        for (Rollout r : all(c)) {
                            sink.accept(new SnapshotRecord.RolloutRow(r));
                        }
                    },
                    (c, ro) -> put(c, ro.rollout()));
}
