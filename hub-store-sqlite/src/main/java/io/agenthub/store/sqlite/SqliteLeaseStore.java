package io.agenthub.store.sqlite;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseOutcome;
import io.agenthub.lease.LeaseStore;
import io.agenthub.lease.Resources;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Leases in SQLite. Atomicity comes from the single serialized write transaction of {@link SqliteDatabase}. The
 * package-private helpers let {@link SqliteHandoffStore} move leases inside its own transaction, with the same fence
 * counter.
 */
final class SqliteLeaseStore implements LeaseStore {
    static final String COLUMNS = "resource, holder, token, acquired_at, expires_at, note, released_at";
    /*
     * Reads of what is active go through the partial indexes of unreleased grants (V20), never over the day of released
     * rows kept beside them; SqliteQueryPlanTest holds them to it.
     */
    static final String COUNT_HELD =
            "SELECT count(*) FROM lease INDEXED BY lease_held WHERE holder = ? AND released_at IS NULL AND expires_at > ?";
    static final String ACTIVE = "SELECT " + COLUMNS + " FROM lease INDEXED BY lease_live WHERE released_at IS NULL"
            + " AND expires_at > ? ORDER BY resource";
    static final String HELD_BY = "SELECT " + COLUMNS + " FROM lease INDEXED BY lease_held WHERE holder = ? AND"
            + " released_at IS NULL AND expires_at > ? ORDER BY resource";
    /** Names one write transaction of the purge examines. */
    static final int PURGE_PAGE = 2_000;

    private final SqliteDatabase db;

    SqliteLeaseStore(SqliteDatabase db) {
        this.db = db;
        noteUnreleased(db);
    }

    /**
     * Notes every grant not released in {@link SqliteDatabase#leaseNames()} (at open, and after a restore wrote the
     * table): expired ones too, which the names' first sweep drops.
     */
    static void noteUnreleased(SqliteDatabase db) {
        HeldLeaseNames names = db.leaseNames();
        names.clear();
        db.read(c -> query(c, ACTIVE, Long.MIN_VALUE))
                .forEach(l ->
                        names.granted(l.resource(), l.token(), l.expiresAt().toEpochMilli(), Long.MIN_VALUE));
    }

    /**
     * A grant is decided in the write transaction; a refusal by another holder's lease is decided first on a reader
     * connection, without queueing behind the writer. That is exact: the reader sees every committed write (WAL, one
     * snapshot per statement), so the blocker it finds was active at that moment, within this call, and a write not
     * yet committed has not been acknowledged to anyone, so the refusal may come before it. A reader that finds no
     * blocker decides nothing: the write transaction checks again and is the only place that grants or fences.
     */
    @Override
    public Acquisition tryAcquire(String resource, String holder, Duration ttl, String note, Instant now, int maxHeld) {
        HeldLeaseNames names = db.leaseNames();
        // A name that no noted grant overlaps cannot be refused by the reader: straight to the writer.
        if (names.mayOverlap(resource, now.toEpochMilli())) {
            List<Lease> seen = db.read(c -> overlapping(c, resource, now.toEpochMilli()));
            List<Lease> others =
                    seen.stream().filter(l -> !l.holder().equals(holder)).toList();
            if (!others.isEmpty()) {
                return new Acquisition.Refused(others);
            }
        }
        return db.write(c -> {
            List<Lease> overlapping = overlapping(c, resource, now.toEpochMilli());
            List<Lease> blockers =
                    overlapping.stream().filter(l -> !l.holder().equals(holder)).toList();
            if (!blockers.isEmpty()) {
                return new Acquisition.Refused(blockers);
            }
            long expires = now.plus(ttl).toEpochMilli();
            for (Lease own : overlapping) {
                if (own.resource().equals(resource)) {
                    long extended = Math.max(own.expiresAt().toEpochMilli(), expires);
                    try (PreparedStatement ps =
                            c.prepareStatement("UPDATE lease SET expires_at = ?, note = ? WHERE resource = ?")) {
                        ps.setLong(1, extended);
                        ps.setString(2, note);
                        ps.setString(3, resource);
                        ps.executeUpdate();
                    }
                    names.granted(resource, own.token(), extended, now.toEpochMilli());
                    return new Acquisition.Granted(
                            new Lease(
                                    resource,
                                    holder,
                                    own.token(),
                                    own.acquiredAt(),
                                    Instant.ofEpochMilli(extended),
                                    note),
                            true);
                }
            }
            int held = countHeld(c, holder, now.toEpochMilli());
            if (held >= maxHeld) {
                return new Acquisition.LimitReached(held);
            }
            return new Acquisition.Granted(
                    put(c, names, resource, holder, nextFence(c), now, Instant.ofEpochMilli(expires), note), false);
        });
    }

    private static int countHeld(Connection c, String holder, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_HELD)) {
            ps.setString(1, holder);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public LeaseOutcome renew(String resource, String holder, long token, Duration ttl, Instant now) {
        return db.write(c -> {
            long expires = now.plus(ttl).toEpochMilli();
            LeaseOutcome out = update(
                    c,
                    "UPDATE lease SET expires_at = ? WHERE resource = ? AND token = ? AND holder = ? AND released_at"
                            + " IS NULL AND expires_at > ? RETURNING " + COLUMNS,
                    expires,
                    resource,
                    token,
                    holder,
                    now.toEpochMilli());
            if (out.applied()) {
                db.leaseNames().granted(resource, token, expires, now.toEpochMilli());
            }
            return out;
        });
    }

    @Override
    public LeaseOutcome release(String resource, String holder, long token, Instant now) {
        return db.write(c -> {
            LeaseOutcome out = update(
                    c,
                    "UPDATE lease SET released_at = ? WHERE resource = ? AND token = ? AND holder = ? AND released_at"
                            + " IS NULL AND expires_at > ? RETURNING " + COLUMNS,
                    now.toEpochMilli(),
                    resource,
                    token,
                    holder,
                    now.toEpochMilli());
            if (out.applied()) {
                db.leaseNames().ended(resource, token);
            }
            return out;
        });
    }

    @Override
    public Optional<Lease> forceRelease(String resource, Instant now) {
        return db.write(c -> {
            Optional<Lease> active = row(c, resource)
                    .filter(r -> r.releasedAt == null && r.lease.activeAt(now))
                    .map(r -> r.lease);
            if (active.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE lease SET released_at = ? WHERE resource = ?")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, resource);
                    ps.executeUpdate();
                }
                db.leaseNames().ended(resource, active.get().token());
            }
            return active;
        });
    }

    @Override
    public List<Lease> active(Instant now) {
        return db.read(c -> query(c, ACTIVE, now.toEpochMilli()));
    }

    @Override
    public List<Lease> heldBy(String holder, Instant now) {
        return db.read(c -> query(c, HELD_BY, holder, now.toEpochMilli()));
    }

    @Override
    public List<Lease> overlapping(String resource, Instant now) {
        return db.read(c -> overlapping(c, resource, now.toEpochMilli()));
    }

    @Override
    public int purgeEndedBefore(Instant before) {
        // Walks the table in pages of the primary key, one write transaction per page, so that grants queued behind
        // the purge wait for one page, not for a pass over a day of names.
        long cut = before.toEpochMilli();
        int total = 0;
        String after = "";
        while (true) {
            String from = after;
            Optional<String> last = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT max(resource) FROM (SELECT resource FROM lease"
                        + " WHERE resource > ? ORDER BY resource LIMIT ?)")) {
                    ps.setString(1, from);
                    ps.setInt(2, PURGE_PAGE);
                    try (ResultSet rs = ps.executeQuery()) {
                        return Optional.ofNullable(rs.next() ? rs.getString(1) : null);
                    }
                }
            });
            if (last.isEmpty()) {
                return total;
            }
            total += db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM lease WHERE resource > ? AND resource <= ?"
                                + " AND coalesce(released_at, expires_at) < ? AND (released_at IS NOT NULL OR expires_at < ?)")) {
                    ps.setString(1, from);
                    ps.setString(2, last.get());
                    ps.setLong(3, cut);
                    ps.setLong(4, cut);
                    return ps.executeUpdate();
                }
            });
            after = last.get();
        }
    }

    /**
     * Writes the grant of {@code resource} to {@code holder} with {@code token} (replacing the resource's previous,
     * ended or moved, grant), and notes it in {@code names}. The caller has checked overlaps in the same transaction.
     */
    static Lease put(
            Connection c,
            HeldLeaseNames names,
            String resource,
            String holder,
            long token,
            Instant now,
            Instant expiresAt,
            String note)
            throws SQLException {
        names.granted(resource, token, expiresAt.toEpochMilli(), now.toEpochMilli());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lease (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (resource) DO UPDATE SET holder = excluded.holder,"
                + " token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,"
                + " note = excluded.note, released_at = NULL")) {
            ps.setString(1, resource);
            ps.setString(2, holder);
            ps.setLong(3, token);
            ps.setLong(4, now.toEpochMilli());
            ps.setLong(5, expiresAt.toEpochMilli());
            ps.setString(6, note);
            ps.executeUpdate();
        }
        return new Lease(resource, holder, token, millis(now), Instant.ofEpochMilli(expiresAt.toEpochMilli()), note);
    }

    /** Active leases equal to the resource, enclosing zones of it, and (for a zone) leases inside it. */
    static List<Lease> overlapping(Connection c, String resource, long now) throws SQLException {
        List<String> names = new ArrayList<>(Resources.enclosingZones(resource));
        names.add(resource);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM lease WHERE released_at IS NULL AND"
                + " expires_at > ? AND (resource IN (");
        List<Object> args = new ArrayList<>();
        args.add(now);
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            args.add(names.get(i));
        }
        sql.append(')');
        if (Resources.isZone(resource)) {
            // A zone ends in '/'; under binary collation every name that starts with it sorts in [zone, zone'), where
            // zone' replaces the final '/' with the next character, '0'.
            sql.append(" OR (resource >= ? AND resource < ?)");
            args.add(resource);
            args.add(resource.substring(0, resource.length() - 1) + '0');
        }
        sql.append(") ORDER BY resource");
        return query(c, sql.toString(), args.toArray());
    }

    /** The next fencing token: one counter for every grant of the hub, leases and handoffs alike. */
    static long nextFence(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE counter SET value = value + 1 WHERE name = 'fence' RETURNING value")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private record Row(Lease lease, Instant releasedAt) {}

    private static Optional<Row> row(Connection c, String resource) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM lease WHERE resource = ?")) {
            ps.setString(1, resource);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long released = rs.getLong(7);
                Instant releasedAt = rs.wasNull() ? null : Instant.ofEpochMilli(released);
                return Optional.of(new Row(lease(rs), releasedAt));
            }
        }
    }

    /**
     * Runs a conditional {@code UPDATE ... RETURNING}: the returned row means it applied; otherwise the resource's
     * latest grant is read so that the refusal can say why.
     */
    private static LeaseOutcome update(
            Connection c, String sql, long first, String resource, long token, String holder, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, first);
            ps.setString(2, resource);
            ps.setLong(3, token);
            ps.setString(4, holder);
            ps.setLong(5, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long released = rs.getLong(7);
                    Instant releasedAt = rs.wasNull() ? null : Instant.ofEpochMilli(released);
                    return new LeaseOutcome(true, lease(rs), releasedAt);
                }
            }
        }
        return outcome(c, resource, false);
    }

    private static LeaseOutcome outcome(Connection c, String resource, boolean applied) throws SQLException {
        Optional<Row> row = row(c, resource);
        return new LeaseOutcome(
                applied,
                row.map(Row::lease).orElse(null),
                row.map(Row::releasedAt).orElse(null));
    }

    private static List<Lease> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Lease> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(lease(rs));
                }
                return out;
            }
        }
    }

    static Lease lease(ResultSet rs) throws SQLException {
        return new Lease(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)),
                rs.getString(6));
    }

    private static Instant millis(Instant t) {
        return Instant.ofEpochMilli(t.toEpochMilli());
    }

    /** Leases in snapshots: the fencing counter and every grant (with when it was released). */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("counter", "lease")
            .record(
                    SnapshotRecord.Fence.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT value FROM counter WHERE name = 'fence'",
                            rs -> new SnapshotRecord.Fence(rs.getLong(1)),
                            sink),
                    (c, f) -> SqliteSnapshotPart.update(
                            c, "UPDATE counter SET value = ? WHERE name = 'fence'", f.lastToken()))
            .record(
                    SnapshotRecord.LeaseRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + " FROM lease ORDER BY resource",
                            rs -> new SnapshotRecord.LeaseRow(lease(rs), SqliteSnapshotPart.instant(rs, 7)),
                            sink),
                    (c, l) -> insertLease(c, l.lease(), l.releasedAt()));

    private static void insertLease(Connection c, Lease l, Instant releasedAt) throws SQLException {
        SqliteSnapshotPart.update(
                c,
                "INSERT INTO lease (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                l.resource(),
                l.holder(),
                l.token(),
                l.acquiredAt().toEpochMilli(),
                l.expiresAt().toEpochMilli(),
                l.note(),
                releasedAt == null ? null : releasedAt.toEpochMilli());
    }
}
