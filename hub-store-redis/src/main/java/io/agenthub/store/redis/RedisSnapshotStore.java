package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.snapshot.SnapshotStore;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Snapshots are not implemented on Redis yet. What it takes (see docs/architecture.md): an export that sees one point in
 * time ({@code CLIENT PAUSE <ms> WRITE} on every master while the keys of every domain are read into
 * {@link SnapshotRecord}s), and a restore that writes each record's keys raw (explicit cursors, fencing tokens,
 * checkpoint versions, handoff ids) into an empty prefix and sets the counters to the restored highs. Until then every
 * call fails with {@code not_supported}; export from and import into a SQLite hub.
 */
final class RedisSnapshotStore implements SnapshotStore {
    private static HubException unsupported() {
        return new HubException.Unavailable(
                "not_supported",
                "Export and import are not implemented for the Redis store yet; use them on a SQLite hub.",
                Duration.ofSeconds(3600),
                Map.of());
    }

    @Override
    public void export(Consumer<SnapshotRecord> sink) {
        throw unsupported();
    }

    @Override
    public boolean isEmpty() {
        throw unsupported();
    }

    @Override
    public void restore(Iterator<SnapshotRecord> records) {
        throw unsupported();
    }
}
