package io.agenthub.store.sqlite;

import io.agenthub.error.HubException;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.snapshot.SnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Snapshots of the SQLite store, coordinated over the domains' {@link SqliteSnapshotPart}s (each store declares its
 * own tables and rows): the export reads every part, type by type in {@link SnapshotRecord#ORDER}, in one read
 * transaction (one WAL snapshot, so it is consistent while the hub keeps running); the restore writes everything in one
 * write transaction of its own ({@link SqliteDatabase#writeAlone}), all or nothing however large the snapshot: the
 * caller waits for the commit without the writer's confirm timeout, and a failure anywhere (a bad record, a truncated
 * file, a full disk) rolls back to the empty store.
 */
final class SqliteSnapshotStore implements SnapshotStore {
    /** Every domain's part of a snapshot. */
    static final List<SqliteSnapshotPart> PARTS = List.of(
            SqliteLeaseStore.SNAPSHOT,
            SqliteMessageStore.SNAPSHOT,
            SqliteCredentialStore.SNAPSHOT,
            SqliteAgentStore.SNAPSHOT,
            SqliteAuditStore.SNAPSHOT,
            SqliteMemoryStore.SNAPSHOT,
            SqliteCheckpointStore.SNAPSHOT,
            SqliteProgressStore.SNAPSHOT,
            SqliteHandoffStore.SNAPSHOT,
            SqliteUsageStore.SNAPSHOT,
            SqliteBudgetStore.SNAPSHOT,
            SqliteErrorLogStore.SNAPSHOT,
            SqliteTierStore.SNAPSHOT,
            SqliteAlertStore.SNAPSHOT,
            SqliteSelfTestStore.SNAPSHOT,
            SqliteDrillStore.SNAPSHOT,
            SqliteTraceStore.SNAPSHOT,
            SqliteTaskStore.SNAPSHOT,
            SqliteRolloutStore.SNAPSHOT,
            SqliteFlagStore.SNAPSHOT,
            SqliteTranscriptCursorStore.SNAPSHOT);

    /**
     * Every table that holds state, from the parts, for the emptiness check and a test that compares it with the
     * schema. Tables not listed are derived (full-text index, tag index, {@code usage_total}), bookkeeping
     * ({@code schema_version}, {@code sqlite_sequence}) or transient ({@code op_counter}).
     */
    static final List<String> TABLES =
            PARTS.stream().flatMap(p -> p.tables().stream()).toList();

    /** The part of each record type; every type of {@link SnapshotRecord#TYPES} has exactly one. */
    private static final Map<Class<? extends SnapshotRecord>, SqliteSnapshotPart> OWNER = owners();

    private final SqliteDatabase db;
    /** Writes what the stores keep in memory only (presence marks) into the tables, so that the export has it. */
    private final Runnable settle;

    SqliteSnapshotStore(SqliteDatabase db, Runnable settle) {
        this.db = db;
        this.settle = settle;
    }

    private static Map<Class<? extends SnapshotRecord>, SqliteSnapshotPart> owners() {
        Map<Class<? extends SnapshotRecord>, SqliteSnapshotPart> owners = new HashMap<>();
        for (SqliteSnapshotPart part : PARTS) {
            for (Class<? extends SnapshotRecord> type : part.types()) {
                if (owners.put(type, part) != null) {
                    throw new IllegalStateException("two snapshot parts export " + type.getSimpleName());
                }
            }
        }
        for (Class<? extends SnapshotRecord> type : SnapshotRecord.TYPES.values()) {
            if (!owners.containsKey(type)) {
                throw new IllegalStateException("no SQLite snapshot part exports " + type.getSimpleName());
            }
        }
        return Map.copyOf(owners);
    }

    @Override
    public void export(Consumer<SnapshotRecord> sink) {
        settle.run();
        db.readSnapshot(c -> {
            for (Class<? extends SnapshotRecord> type : SnapshotRecord.TYPES.values()) {
                OWNER.get(type).export(type, c, sink);
            }
            return null;
        });
    }

    @Override
    public boolean isEmpty() {
        return db.read(SqliteSnapshotStore::isEmpty);
    }

    private static boolean isEmpty(Connection c) throws SQLException {
        for (String table : TABLES) {
            String sql = table.equals("counter")
                    ? "SELECT count(*) FROM counter WHERE value <> 0"
                    : "SELECT count(*) FROM " + table;
            try (PreparedStatement ps = c.prepareStatement(sql);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void restore(Iterator<SnapshotRecord> records) {
        db.writeAlone(c -> {
            if (!isEmpty(c)) {
                throw new HubException.Conflict(
                        "store_not_empty",
                        "The store already holds data; restore a snapshot only into an empty data directory.",
                        Map.of());
            }
            while (records.hasNext()) {
                SnapshotRecord r = records.next();
                OWNER.get(r.getClass()).restore(c, r);
            }
            for (SqliteSnapshotPart part : PARTS) {
                part.restored(c);
            }
            return null;
        });
        // The restored grants are in the table; the acquire's hint of held names learns them.
        SqliteLeaseStore.noteUnreleased(db);
    }
}
