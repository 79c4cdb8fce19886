package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One export's read of the store: every record type in {@link SnapshotRecord#ORDER}, each read by the
 * {@link RedisSnapshotPart} of the store that owns it ({@link RedisSnapshotStore#PARTS}), on one connection.
 *
 * <p>Only read commands: the export runs while writes are paused ({@code CLIENT PAUSE WRITE}), during which a write
 * command, or a script not flagged read-only, would wait for the pause to end. Parts read their index keys first, then
 * the records they name in pipelined batches ({@link #pipe()}); keys without an index (inboxes, checkpoints) are found
 * with {@link #scan(String)}.
 */
final class RedisSnapshotExport {
    private final RedisKeys keys;
    private final RedisClusterCommands<String, String> sync;
    private final RedisPipeline pipe;

    RedisSnapshotExport(RedisKeys keys, RedisClusterCommands<String, String> sync, RedisPipeline pipe) {
        this.keys = keys;
        this.sync = sync;
        this.pipe = pipe;
    }

    /** Every record, in snapshot order. */
    List<SnapshotRecord> read() {
        List<SnapshotRecord> out = new ArrayList<>();
        for (Class<? extends SnapshotRecord> type : SnapshotRecord.TYPES.values()) {
            RedisSnapshotStore.owner(type).export(type, this, out::add);
        }
        return out;
    }

    RedisKeys keys() {
        return keys;
    }

    /** Commands that wait for their reply, for index keys and single keys. */
    RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /** Pipelined commands, for the records an index names. */
    RedisPipeline pipe() {
        return pipe;
    }

    /** A counter's value; 0 if it was never set. */
    long number(String key) {
        String value = sync.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** A hash whose fields are numbers (sequence numbers, cursors, versions), by number. */
    static SortedMap<Long, String> byNumber(Map<String, String> hash) {
        TreeMap<Long, String> out = new TreeMap<>();
        hash.forEach((n, value) -> out.put(Long.parseLong(n), value));
        return out;
    }

    /** The hash at {@code key} by number, as {@link #byNumber(Map)}. */
    SortedMap<Long, String> byNumber(String key) {
        return byNumber(sync.hgetall(key));
    }

    /** Keys that start with {@code literal}, each once, in byte order. */
    List<String> scan(String literal) {
        TreeSet<String> found = new TreeSet<>(RedisSnapshotPart.BYTES);
        ScanArgs args =
                ScanArgs.Builder.matches(RedisKeys.startingWith(literal)).limit(1_000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = sync.scan(cursor, args);
            found.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return List.copyOf(found);
    }
}
