package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One domain's share of a snapshot, declared by the domain's store next to its own key layout and scripts: for each of
 * its {@link SnapshotRecord} types how its keys are read as records (read commands only, through
 * {@link RedisSnapshotExport}) and how a record is written back as the store's scripts would have written it, with its
 * derived keys (indexes, totals) and its counters (through {@link RedisSnapshotRestore}). {@link RedisSnapshotStore}
 * only coordinates: the order of types, the write pause that makes the export one point in time, the emptiness check,
 * the undo of a failed restore.
 */
final class RedisSnapshotPart {
    /** Strings by their UTF-8 bytes: how Redis orders equal-score members and SQLite orders TEXT. */
    static final Comparator<String> BYTES =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * Passes every record of one type to the sink, in the order the SQLite store exports them, so that snapshots of the
     * same state are equal whichever backend wrote them.
     */
    @FunctionalInterface
    interface Rows {
        void export(RedisSnapshotExport x, Consumer<SnapshotRecord> sink);
    }

    /** Writes one record back, keeping its stored ids, sequence numbers, tokens and versions. */
    @FunctionalInterface
    interface Write<R extends SnapshotRecord> {
        void restore(RedisSnapshotRestore w, R record);
    }

    private record Entry<R extends SnapshotRecord>(Class<R> type, Rows rows, Write<R> write) {
        void restore(RedisSnapshotRestore w, SnapshotRecord r) {
            write.restore(w, type.cast(r));
        }
    }

    private final Map<Class<? extends SnapshotRecord>, Entry<?>> entries = new LinkedHashMap<>();

    private RedisSnapshotPart() {}

    /** A part with no record types yet. */
    static RedisSnapshotPart of() {
        return new RedisSnapshotPart();
    }

    /** Declares one record type of this part. */
    <R extends SnapshotRecord> RedisSnapshotPart record(Class<R> type, Rows rows, Write<R> write) {
        entries.put(type, new Entry<>(type, rows, write));
        return this;
    }

    Set<Class<? extends SnapshotRecord>> types() {
        return entries.keySet();
    }

    void export(Class<? extends SnapshotRecord> type, RedisSnapshotExport x, Consumer<SnapshotRecord> sink) {
        entries.get(type).rows().export(x, sink);
    }

    void restore(RedisSnapshotRestore w, SnapshotRecord r) {
        entries.get(r.getClass()).restore(w, r);
    }
}
