package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One restore into an empty key prefix: each record is written by the {@link RedisSnapshotPart} of the store that owns
 * it ({@link RedisSnapshotStore#PARTS}), as that store's scripts would have written it, and at the end every counter
 * the parts raised is set to the highest value restored, so that new ids, cursors and tokens continue above it. Writes
 * are pipelined in batches.
 *
 * <p>No store gives its keys a Redis expiry (the transcript cursors aside): grants, handoffs and messages end by the
 * hub's clock and are purged by its janitors. So what had already ended when the snapshot was taken is restored as it
 * was, as the SQLite store restores it, and purged by the janitors in their time.
 *
 * <p>Every key written is remembered, so that a restore that fails half-way can delete what it wrote
 * ({@link #undo()}).
 */
final class RedisSnapshotRestore {
    private final RedisKeys keys;
    private final RedisPipeline pipe;
    private final Set<String> written = new HashSet<>();
    private final Map<String, Long> counters = new HashMap<>();
    private final Set<String> claimed = new HashSet<>();

    RedisSnapshotRestore(RedisKeys keys, RedisPipeline pipe) {
        this.keys = keys;
        this.pipe = pipe;
    }

    /** Writes every record, then the counters, and waits until Redis has applied all of it. */
    void restore(Iterator<SnapshotRecord> records) {
        while (records.hasNext()) {
            SnapshotRecord r = records.next();
            RedisSnapshotStore.owner(r.getClass()).restore(this, r);
        }
        counters.forEach((key, value) -> {
            if (value > 0) {
                send(key, a -> a.set(key, Long.toString(value)));
            }
        });
        pipe.await();
    }

    /** Deletes every key this restore wrote (after a failure: the prefix was empty before). */
    void undo() {
        pipe.await();
        for (String key : written) {
            pipe.send(a -> a.unlink(key));
        }
        pipe.await();
    }

    RedisKeys keys() {
        return keys;
    }

    /** Sends a write to {@code key}, remembered for {@link #undo()}. */
    <T> void send(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        written.add(key);
        pipe.send(command);
    }

    void hset(String key, Map<String, String> fields) {
        send(key, a -> a.hset(key, fields));
    }

    void hset(String key, String field, String value) {
        send(key, a -> a.hset(key, field, value));
    }

    void zadd(String key, double score, String member) {
        send(key, a -> a.zadd(key, score, member));
    }

    void sadd(String key, String member) {
        send(key, a -> a.sadd(key, member));
    }

    void rpush(String key, String value) {
        send(key, a -> a.rpush(key, value));
    }

    void lpush(String key, String value) {
        send(key, a -> a.lpush(key, value));
    }

    void hincrby(String key, String field, long amount) {
        send(key, a -> a.hincrby(key, field, amount));
    }

    /** Sets the counter {@code key}, at the end of the restore, to at least {@code value}. */
    void raise(String key, long value) {
        counters.merge(key, value, Math::max);
    }

    /** Counts one more on the counter {@code key} (set at the end of the restore) and returns the new count. */
    long next(String key) {
        return counters.merge(key, 1L, Long::sum);
    }

    /** True the first time this restore claims {@code member} of {@code key}: for a unique index a later record may share. */
    boolean claim(String key, String member) {
        return claimed.add(key + '\n' + member);
    }
}
