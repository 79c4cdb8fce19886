package io.agenthub.store.sqlite;

import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.handoff.NewHandoff;
import io.agenthub.handoff.Target;
import io.agenthub.lease.Lease;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Handoffs in SQLite. Every change is one write transaction of {@link SqliteDatabase} (writes are serialized), checked
 * against the stored status; an accept moves the leases in the same transaction, through {@link SqliteLeaseStore}'s
 * helpers and its fence counter.
 */
final class SqliteHandoffStore implements HandoffStore {
    static final String COLUMNS = "seq, kind, from_agent, target, fallback, title, context, next_steps, files,"
            + " leases, checkpoint_version, status, declined_by, accepted_by, note, created_at, updated_at,"
            + " expires_at, accepted_at, closed_at, returned";
    /** The open handoff with a dedupe key, through its partial unique index (not over every open handoff). */
    static final String OPEN_BY_DEDUPE_KEY = "SELECT " + COLUMNS + " FROM handoff INDEXED BY handoff_dedupe WHERE"
            + " dedupe_key = ? AND dedupe_key <> '' AND status IN ('PENDING', 'ACCEPTED')";

    private final SqliteDatabase db;

    SqliteHandoffStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Created create(NewHandoff h) {
        return db.write(c -> {
            if (!h.dedupeKey().isEmpty()) {
                Optional<Handoff> open = one(c, OPEN_BY_DEDUPE_KEY, h.dedupeKey());
                if (open.isPresent()) {
                    return new Created(open.get(), false);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handoff (kind, from_agent, target, fallback,"
                    + " title, context, next_steps, files, leases, checkpoint_version, status, declined_by,"
                    + " accepted_by, note, created_at, updated_at, expires_at, returned, dedupe_key) VALUES (?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?, 'PENDING', '[]', '', '', ?, ?, ?, 0, ?) RETURNING seq")) {
                ps.setString(1, h.kind().name());
                ps.setString(2, h.from());
                ps.setString(3, h.to().toString());
                ps.setString(4, h.fallback() == null ? "" : h.fallback().toString());
                ps.setString(5, h.title());
                ps.setString(6, h.context());
                ps.setString(7, Json.write(h.nextSteps()));
                ps.setString(8, Json.write(h.files()));
                ps.setString(9, Json.write(h.leases()));
                ps.setLong(10, h.checkpointVersion());
                ps.setLong(11, h.createdAt().toEpochMilli());
                ps.setLong(12, h.createdAt().toEpochMilli());
                ps.setLong(13, h.expiresAt().toEpochMilli());
                ps.setString(14, h.dedupeKey());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Created(find(c, rs.getLong(1)).orElseThrow(), true);
                }
            }
        });
    }

    @Override
    public Optional<Handoff> find(String id) {
        long seq = Handoff.seqOf(id);
        return seq < 0 ? Optional.empty() : db.read(c -> find(c, seq));
    }

    @Override
    public List<Handoff> list(Set<HandoffStatus> statuses, int limit) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM handoff WHERE status IN (");
        List<Object> args = new ArrayList<>();
        for (HandoffStatus s : statuses) {
            sql.append(args.isEmpty() ? "?" : ", ?");
            args.add(s.name());
        }
        sql.append(") ORDER BY seq DESC LIMIT ?");
        args.add(Math.max(1, limit));
        return db.read(c -> query(c, sql.toString(), args.toArray()));
    }

    @Override
    public Acceptance accept(String id, String acceptor, Duration leaseTtl, Instant now) {
        long seq = Handoff.seqOf(id);
        return db.write(c -> {
            Optional<Handoff> found = seq < 0 ? Optional.empty() : find(c, seq);
            if (found.isEmpty()
                    || found.get().status() != HandoffStatus.PENDING
                    || !now.isBefore(found.get().expiresAt())) {
                return new Acceptance.Refused(found.orElse(null));
            }
            Handoff h = found.get();
            List<Lease> moved = new ArrayList<>();
            List<Lease> blocked = new ArrayList<>();
            List<String> order = new ArrayList<>(h.leases());
            order.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
            for (String resource : order) {
                move(c, db.leaseNames(), resource, h, acceptor, leaseTtl, now, moved, blocked);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE handoff SET status = 'ACCEPTED', accepted_by = ?,"
                    + " accepted_at = ?, updated_at = ? WHERE seq = ?")) {
                ps.setString(1, acceptor);
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, seq);
                ps.executeUpdate();
            }
            return new Acceptance.Accepted(find(c, seq).orElseThrow(), moved, blocked);
        });
    }

    /** Moves (or grants) one listed resource to the acceptor, or reports what blocks it. */
    private static void move(
            Connection c,
            HeldLeaseNames names,
            String resource,
            Handoff h,
            String acceptor,
            Duration ttl,
            Instant now,
            List<Lease> moved,
            List<Lease> blocked)
            throws SQLException {
        String from = h.from();
        List<Lease> overlapping = SqliteLeaseStore.overlapping(c, resource, now.toEpochMilli());
        Lease own = overlapping.stream()
                .filter(l -> l.resource().equals(resource))
                .findFirst()
                .orElse(null);
        if (own != null && own.holder().equals(acceptor) && !acceptor.equals(from)) {
            moved.add(own);
            return;
        }
        // The sender's leases on listed resources move in this same transaction, so they block nothing.
        List<Lease> blockers = overlapping.stream()
                .filter(l -> !(l.holder().equals(from) && h.leases().contains(l.resource())))
                .filter(l -> !l.holder().equals(acceptor))
                .toList();
        if (!blockers.isEmpty()) {
            blocked.addAll(blockers);
            return;
        }
        Instant expires = now.plus(ttl);
        if (own != null && own.expiresAt().isAfter(expires)) {
            expires = own.expiresAt();
        }
        String note = own == null ? "" : own.note();
        moved.add(
                SqliteLeaseStore.put(c, names, resource, acceptor, SqliteLeaseStore.nextFence(c), now, expires, note));
    }

    @Override
    public Optional<Handoff> decline(String id, String agentId, boolean close, String reason, Instant now) {
        return change(id, HandoffStatus.PENDING, (c, h) -> {
            List<String> declined = new ArrayList<>(h.declinedBy());
            if (!declined.contains(agentId)) {
                declined.add(agentId);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE handoff SET declined_by = ?, updated_at = ?"
                    + (close ? ", status = 'DECLINED', note = ?, closed_at = ?" : "") + " WHERE seq = ?")) {
                int i = 1;
                ps.setString(i++, Json.write(declined));
                ps.setLong(i++, now.toEpochMilli());
                if (close) {
                    ps.setString(i++, reason);
                    ps.setLong(i++, now.toEpochMilli());
                }
                ps.setLong(i, Handoff.seqOf(h.id()));
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<Handoff> complete(String id, String acceptor, String note, Instant now) {
        return change(id, HandoffStatus.ACCEPTED, (c, h) -> {
            if (!h.acceptedBy().equals(acceptor)) {
                return false;
            }
            close(c, h, HandoffStatus.COMPLETED, note, now);
            return true;
        });
    }

    @Override
    public Optional<Handoff> cancel(String id, String note, Instant now) {
        return change(id, HandoffStatus.PENDING, (c, h) -> {
            close(c, h, HandoffStatus.CANCELLED, note, now);
            return true;
        });
    }

    @Override
    public Optional<Handoff> expire(String id, Target retarget, Instant newExpiresAt, String note, Instant now) {
        return change(id, HandoffStatus.PENDING, (c, h) -> {
            if (h.expiresAt().isAfter(now)) {
                return false;
            }
            if (retarget == null) {
                close(c, h, HandoffStatus.EXPIRED, note, now);
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE handoff SET target = ?, expires_at = ?, returned =" + " 1, updated_at = ? WHERE seq = ?")) {
                ps.setString(1, retarget.toString());
                ps.setLong(2, newExpiresAt.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, Handoff.seqOf(h.id()));
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public List<Handoff> due(Instant now, int limit) {
        return db.read(c -> query(
                c,
                "SELECT " + COLUMNS + " FROM handoff WHERE status = 'PENDING' AND expires_at <= ? ORDER BY"
                        + " expires_at, seq LIMIT ?",
                now.toEpochMilli(),
                Math.max(1, limit)));
    }

    /** A change applied in one transaction if the handoff is in {@code expected}; returns it as it then stands. */
    @FunctionalInterface
    private interface Change {
        /** Applies the change; false if it does not apply after all. */
        boolean apply(Connection c, Handoff h) throws SQLException;
    }

    private Optional<Handoff> change(String id, HandoffStatus expected, Change change) {
        long seq = Handoff.seqOf(id);
        if (seq < 0) {
            return Optional.empty();
        }
        return db.write(c -> {
            Optional<Handoff> h = find(c, seq);
            if (h.isEmpty() || h.get().status() != expected || !change.apply(c, h.get())) {
                return Optional.empty();
            }
            return find(c, seq);
        });
    }

    private static void close(Connection c, Handoff h, HandoffStatus status, String note, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE handoff SET status = ?, note = ?, closed_at = ?, updated_at = ? WHERE seq = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, note == null ? "" : note);
            ps.setLong(3, now.toEpochMilli());
            ps.setLong(4, now.toEpochMilli());
            ps.setLong(5, Handoff.seqOf(h.id()));
            ps.executeUpdate();
        }
    }

    private static Optional<Handoff> find(Connection c, long seq) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM handoff WHERE seq = ?", seq);
    }

    private static Optional<Handoff> one(Connection c, String sql, Object arg) throws SQLException {
        return query(c, sql, arg).stream().findFirst();
    }

    private static List<Handoff> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Handoff> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(handoff(rs));
                }
                return out;
            }
        }
    }

    static Handoff handoff(ResultSet rs) throws SQLException {
        String fallback = rs.getString(5);
        return new Handoff(
                Handoff.idOf(rs.getLong(1)),
                Handoff.Kind.valueOf(rs.getString(2)),
                rs.getString(3),
                Target.parse(rs.getString(4)),
                fallback.isEmpty() ? null : Target.parse(fallback),
                rs.getString(6),
                rs.getString(7),
                Json.list(rs.getString(8)),
                Json.list(rs.getString(9)),
                Json.list(rs.getString(10)),
                rs.getLong(11),
                HandoffStatus.valueOf(rs.getString(12)),
                Json.list(rs.getString(13)),
                rs.getString(14),
                rs.getString(15),
                Instant.ofEpochMilli(rs.getLong(16)),
                Instant.ofEpochMilli(rs.getLong(17)),
                Instant.ofEpochMilli(rs.getLong(18)),
                instant(rs, 19),
                instant(rs, 20),
                rs.getInt(21) != 0);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** Handoffs in snapshots, with their ids and the key that deduplicates open ones. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("handoff")
            .record(
                    SnapshotRecord.HandoffRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + ", dedupe_key FROM handoff ORDER BY seq",
                            rs -> new SnapshotRecord.HandoffRow(handoff(rs), rs.getString(22)),
                            sink),
                    (c, h) -> insertHandoff(c, h.handoff(), h.dedupeKey()));

    private static void insertHandoff(Connection c, Handoff h, String dedupeKey) throws SQLException {
        SqliteSnapshotPart.update(
                c,
                "INSERT INTO handoff (" + COLUMNS
                        + ", dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Handoff.seqOf(h.id()),
                h.kind().name(),
                h.from(),
                h.to().toString(),
                h.fallback() == null ? "" : h.fallback().toString(),
                h.title(),
                h.context(),
                Json.write(h.nextSteps()),
                Json.write(h.files()),
                Json.write(h.leases()),
                h.checkpointVersion(),
                h.status().name(),
                Json.write(h.declinedBy()),
                h.acceptedBy(),
                h.note(),
                h.createdAt().toEpochMilli(),
                h.updatedAt().toEpochMilli(),
                h.expiresAt().toEpochMilli(),
                SqliteSnapshotPart.millis(h.acceptedAt()),
                SqliteSnapshotPart.millis(h.closedAt()),
                h.returned() ? 1 : 0,
                dedupeKey);
    }
}
