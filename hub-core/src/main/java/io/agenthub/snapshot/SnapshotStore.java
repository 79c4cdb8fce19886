package io.agenthub.snapshot;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Storage SPI for whole-hub snapshots ({@code hub export} and {@code hub import}), in the backend-neutral
 * {@link SnapshotRecord} vocabulary so that a snapshot of one backend restores into another.
 */
public interface SnapshotStore {
    /**
     * Passes every record of the store's state to {@code sink}, grouped by type in {@link SnapshotRecord#ORDER}, each
     * type in its natural key order (sequence numbers, cursors, ids). Consistent: the records are the state at one
     * point in time; no write that commits during the export is partly visible. Operation counters (one-minute
     * buckets) are not state and are not exported.
     */
    void export(Consumer<SnapshotRecord> sink);

    /** True if the store holds no record of any type that {@link #export} would produce. */
    boolean isEmpty();

    /**
     * Restores {@code records} (in {@link SnapshotRecord#ORDER}, as {@link #export} produced them) into this store,
     * all or nothing where the backend allows it. Stored sequence numbers, cursors and fencing tokens keep their values,
     * and the counters that assign new ones continue above the highest restored. Derived data (search indexes) is
     * rebuilt.
     *
     * @throws io.agenthub.error.HubException.Conflict if the store is not empty
     */
    void restore(Iterator<SnapshotRecord> records);
}
