package io.agenthub.server.ops;

import io.agenthub.store.Stores;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.function.Supplier;

/** The export of the whole store as a snapshot stream ({@code GET /api/export}), in {@link SnapshotCodec}'s format. */
public final class SnapshotExport {
    private final Stores stores;
    private final String hubVersion;
    private final InstantSource clock;
    private final Runnable beforeExport;

    /** @param beforeExport writes what this node still buffers (trails, counters) so that the export includes it */
    public SnapshotExport(Stores stores, String hubVersion, InstantSource clock, Runnable beforeExport) {
        this.stores = stores;
        this.hubVersion = hubVersion;
        this.clock = clock;
        this.beforeExport = beforeExport;
    }

    /**
     * Writes what this node buffers, then every record of one consistent export. {@code open} is called once, at the
     * first record (or at the end of an empty export), so that a store that cannot export fails before anything is
     * written and the caller can still answer with a problem.
     */
    public void export(Supplier<OutputStream> open) {
        beforeExport.run();
        SnapshotCodec.Writer[] writer = new SnapshotCodec.Writer[1];
        Supplier<SnapshotCodec.Writer> opened = () -> {
            if (writer[0] == null) {
                writer[0] = new SnapshotCodec.Writer(open.get(), hubVersion, stores.backend(), clock.instant());
            }
            return writer[0];
        };
        stores.snapshots().export(record -> opened.get().write(record));
        opened.get().finish();
    }
}
