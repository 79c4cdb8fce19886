package io.agenthub.store.sqlite;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.TierStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tier changes in SQLite; the compare-and-append runs in one write transaction. */
final class SqliteTierStore implements TierStore {
    static final String COLUMNS = "seq, tier, baseline, reason, actor, agent, at";
    private final SqliteDatabase db;

    SqliteTierStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<TierChange> latest() {
        return db.read(SqliteTierStore::latest);
    }

    private static Optional<TierChange> latest(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT " + COLUMNS + " FROM tier_change ORDER BY seq DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(change(rs)) : Optional.empty();
        }
    }

    @Override
    public Optional<TierChange> append(long expectedSeq, TierChange change) {
        return db.write(c -> {
            long current = latest(c).map(TierChange::seq).orElse(0L);
            if (current != expectedSeq) {
                return Optional.empty();
            }
            return Optional.of(insert(c, change, false));
        });
    }

    /** Inserts a change; with {@code keepSeq} under its own sequence number (restore), else under the next one. */
    static TierChange insert(Connection c, TierChange t, boolean keepSeq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tier_change (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq")) {
            ps.setObject(1, keepSeq ? t.seq() : null);
            ps.setInt(2, t.tier().number());
            ps.setInt(3, t.baseline().number());
            ps.setString(4, t.reason());
            ps.setString(5, t.actor());
            ps.setString(6, t.agent());
            ps.setLong(7, t.at().toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return t.withSeq(rs.getLong(1));
            }
        }
    }

    @Override
    public List<TierChange> history(int limit) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM tier_change ORDER BY seq DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<TierChange> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(change(rs));
                    }
                    return out;
                }
            }
        });
    }

    static TierChange change(ResultSet rs) throws SQLException {
        return new TierChange(
                rs.getLong(1),
                Tier.of(rs.getInt(2)),
                Tier.of(rs.getInt(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)));
    }

    /** The history of tier changes in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("tier_change")
            .record(
                    SnapshotRecord.TierRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + " FROM tier_change ORDER BY seq",
                            rs -> new SnapshotRecord.TierRow(change(rs)),
                            sink),
                    (c, t) -> insert(c, t.change(), true));
}
