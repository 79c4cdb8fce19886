package io.agenthub.store.sqlite;

import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One domain's share of a snapshot, declared by the domain's store next to its own row mapping: the tables that hold
 * its state, and for each of its {@link SnapshotRecord} types how its rows are read as records and written back.
 * {@link SqliteSnapshotStore} only coordinates: the order of types, one read transaction for the export, the
 * emptiness check, one write transaction for the restore.
 */
final class SqliteSnapshotPart {
    /** Passes every row of one record type to the sink, in the type's natural key order. */
    @FunctionalInterface
    interface Rows {
        void export(Connection c, Consumer<SnapshotRecord> sink) throws SQLException;
    }

    /** Writes one record back as the store would have written it, keeping its stored ids and sequence numbers. */
    @FunctionalInterface
    interface Write<R extends SnapshotRecord> {
        void restore(Connection c, R record) throws SQLException;
    }

    /** Rebuilds derived data once every record is written. */
    @FunctionalInterface
    interface Finish {
        void run(Connection c) throws SQLException;
    }

    /** Reads one row as a record. */
    @FunctionalInterface
    interface RowReader {
        SnapshotRecord read(ResultSet rs) throws SQLException;
    }

    private record Entry<R extends SnapshotRecord>(Class<R> type, Rows rows, Write<R> write) {
        void restore(Connection c, SnapshotRecord r) throws SQLException {
            write.restore(c, type.cast(r));
        }
    }

    private final List<String> tables;
    private final Map<Class<? extends SnapshotRecord>, Entry<?>> entries = new LinkedHashMap<>();
    private final List<Finish> finishers = new ArrayList<>();

    private SqliteSnapshotPart(List<String> tables) {
        this.tables = tables;
    }

    /** A part whose state is in {@code tables} (derived tables, such as indexes, are not listed). */
    static SqliteSnapshotPart of(String... tables) {
        return new SqliteSnapshotPart(List.of(tables));
    }

    /** Declares one record type of this part. */
    <R extends SnapshotRecord> SqliteSnapshotPart record(Class<R> type, Rows rows, Write<R> write) {
        entries.put(type, new Entry<>(type, rows, write));
        return this;
    }

    /** Declares derived data to rebuild after a restore. */
    SqliteSnapshotPart afterRestore(Finish finish) {
        finishers.add(finish);
        return this;
    }

    List<String> tables() {
        return tables;
    }

    Set<Class<? extends SnapshotRecord>> types() {
        return entries.keySet();
    }

    void export(Class<? extends SnapshotRecord> type, Connection c, Consumer<SnapshotRecord> sink) throws SQLException {
        entries.get(type).rows().export(c, sink);
    }

    void restore(Connection c, SnapshotRecord r) throws SQLException {
        entries.get(r.getClass()).restore(c, r);
    }

    void restored(Connection c) throws SQLException {
        for (Finish f : finishers) {
            f.run(c);
        }
    }

    /** Runs {@code sql} and passes each row, read by {@code reader}, to the sink. */
    static void each(Connection c, String sql, RowReader reader, Consumer<SnapshotRecord> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(reader.read(rs));
            }
        }
    }

    static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Makes the AUTOINCREMENT of {@code table} continue above {@code value} (never lowers it). */
    static void raiseSequence(Connection c, String table, long value) throws SQLException {
        if (value <= 0) {
            return;
        }
        update(
                c,
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence"
                        + " WHERE name = ?)",
                table,
                table);
        update(c, "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", value, table);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
