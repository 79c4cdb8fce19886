/**
 * Snapshots of all hub state in a backend-neutral vocabulary ({@link io.agenthub.snapshot.SnapshotRecord}), exported
 * and restored through {@link io.agenthub.snapshot.SnapshotStore}: the emergency procedure "export current state",
 * backups, and moving a hub between SQLite and Redis.
 */
package io.agenthub.snapshot;
