package io.agenthub.store.sqlite;

import io.agenthub.auth.Credential;
import io.agenthub.auth.CredentialStore;
import io.agenthub.auth.Role;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashed credentials in SQLite.
 *
 * <p>Every authenticated request looks its token up ({@link #findByHash}), so the committed credentials found are kept
 * in memory by hash and the table is read once per token and change. The process owns the data directory, so every
 * change passes through this store: each committed write of the table drops what is held, before its caller returns,
 * and a row read from the table is kept only if no write committed since the read began, so an older read never
 * replaces a newer write. Unknown hashes are not kept (a caller trying random tokens cannot grow it).
 */
final class SqliteCredentialStore implements CredentialStore {
    static final String COLUMNS = "id, token_hash, kind, subject, role, created_at, revoked_at";
    /** Most credentials kept in memory; beyond it lookups read the table. */
    static final int MAX_KEPT = 100_000;

    private final SqliteDatabase db;
    /** Committed credentials by token hash, as the table holds them. */
    private final ConcurrentHashMap<String, Credential> kept = new ConcurrentHashMap<>();

    private final Object keptLock = new Object();
    /** Raised by every committed write of the table; guarded by {@link #keptLock}. */
    private long keptVersion;

    SqliteCredentialStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void add(Credential cr) {
        db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO credential (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, cr.id());
                ps.setString(2, cr.tokenHash());
                ps.setString(3, cr.kind().name());
                ps.setString(4, cr.subject());
                ps.setString(5, cr.role().name());
                ps.setLong(6, cr.createdAt().toEpochMilli());
                ps.setObject(7, cr.revokedAt() == null ? null : cr.revokedAt().toEpochMilli());
                int added = ps.executeUpdate();
                db.afterCommit(this::forgetAll);
                return added;
            }
        });
    }

    @Override
    public Optional<Credential> findByHash(String tokenHash) {
        Credential held = kept.get(tokenHash);
        if (held != null) {
            return Optional.of(held);
        }
        long version;
        synchronized (keptLock) {
            version = keptVersion;
        }
        Optional<Credential> read = db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM credential WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(credential(rs)) : Optional.empty();
                }
            }
        });
        read.ifPresent(cr -> {
            synchronized (keptLock) {
                if (keptVersion == version && kept.size() < MAX_KEPT) {
                    kept.put(tokenHash, cr);
                }
            }
        });
        return read;
    }

    /** After a committed write of the table (on the writer thread, before its caller returns). */
    private void forgetAll() {
        synchronized (keptLock) {
            keptVersion++;
            kept.clear();
        }
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE credential SET revoked_at = ? WHERE id = ? AND (revoked_at IS NULL OR revoked_at > ?)")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                ps.setLong(3, at.toEpochMilli());
                db.afterCommit(this::forgetAll);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int revokeSubject(String subject, Credential.Kind kind, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE credential SET revoked_at = ? WHERE subject = ? AND"
                    + " kind = ? AND (revoked_at IS NULL OR revoked_at > ?)")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, subject);
                ps.setString(3, kind.name());
                ps.setLong(4, at.toEpochMilli());
                db.afterCommit(this::forgetAll);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int deleteEnded(Credential.Kind kind, Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM credential WHERE kind = ? AND revoked_at IS NOT NULL AND revoked_at <= ?")) {
                ps.setString(1, kind.name());
                ps.setLong(2, before.toEpochMilli());
                db.afterCommit(this::forgetAll);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Credential> list(Credential.Kind kind) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM credential WHERE kind = ? ORDER BY created_at DESC, id")) {
                ps.setString(1, kind.name());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Credential> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(credential(rs));
                    }
                    return out;
                }
            }
        });
    }

    static Credential credential(ResultSet rs) throws SQLException {
        long revoked = rs.getLong(7);
        boolean active = rs.wasNull();
        return new Credential(
                rs.getString(1),
                rs.getString(2),
                Credential.Kind.valueOf(rs.getString(3)),
                rs.getString(4),
                Role.valueOf(rs.getString(5)),
                Instant.ofEpochMilli(rs.getLong(6)),
                active ? null : Instant.ofEpochMilli(revoked));
    }

    /** Credentials in snapshots (hashes only, as stored). */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("credential")
            .record(
                    SnapshotRecord.CredentialRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + " FROM credential ORDER BY created_at, id",
                            rs -> new SnapshotRecord.CredentialRow(credential(rs)),
                            sink),
                    (c, cr) -> insertCredential(c, cr.credential()));

    private static void insertCredential(Connection c, Credential cr) throws SQLException {
        SqliteSnapshotPart.update(
                c,
                "INSERT INTO credential (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                cr.id(),
                cr.tokenHash(),
                cr.kind().name(),
                cr.subject(),
                cr.role().name(),
                cr.createdAt().toEpochMilli(),
                cr.revokedAt() == null ? null : cr.revokedAt().toEpochMilli());
    }
}
