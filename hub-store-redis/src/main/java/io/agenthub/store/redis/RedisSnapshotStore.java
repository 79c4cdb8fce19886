package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.snapshot.SnapshotStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the Redis store, coordinated over the domains' {@link RedisSnapshotPart}s (each store declares how its
 * own keys are read as records and written back, next to its key layout and scripts): the export reads every part, type
 * by type in {@link SnapshotRecord#ORDER}, while writes are paused; the restore writes every record through the part
 * that owns it.
 *
 * <p>Export: one point in time while other hub nodes keep running. The export pauses writes on every master ({@code
 * CLIENT PAUSE <ms> WRITE}: write commands and scripts wait, reads go on), reads every domain with read commands only
 * ({@link RedisSnapshotExport}) on a connection of its own, and ends the pause ({@code CLIENT UNPAUSE}) before it hands
 * out the first record, so that a slow reader of the records (an HTTP client) does not lengthen the pause; the
 * snapshot is held in memory meanwhile. In a cluster the masters are paused one after another; each is frozen from its pause on, and
 * a write on one master that depends on another's comes after that one's write, so the union is a consistent cut. The
 * pause is bounded ({@link #EXPORT_PAUSE}) so that an exporter that dies cannot stop writes for longer, and an export
 * that outlasts it fails rather than return a torn snapshot. Meanwhile writers wait, up to the Redis timeout, after
 * which they fail with 503 and {@code Retry-After}. Two exports never pause at once ({@link RedisKeys#EXPORT_LOCK}).
 * A scratch namespace (the self-test's) is written by its owner alone and is exported without a pause.
 *
 * <p>Restore: into a prefix with no keys but operation counters, through {@link RedisSnapshotRestore}; a restore that
 * fails deletes what it wrote, so the prefix is empty again.
 */
final class RedisSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSnapshotStore.class);
    /** The longest an export pauses writes: ample for reading a hub's state, short enough to outlive a dead exporter. */
    static final Duration EXPORT_PAUSE = Duration.ofSeconds(60);

    private static final LuaScript UNLOCK = LuaScript.load("snapshot-unlock");

    /** Every domain's part of a snapshot. */
    static final List<RedisSnapshotPart> PARTS = List.of(
            RedisLeaseStore.SNAPSHOT,
            RedisMessageStore.SNAPSHOT,
            RedisCredentialStore.SNAPSHOT,
            RedisAgentStore.SNAPSHOT,
            RedisAuditStore.SNAPSHOT,
            RedisMemoryStore.SNAPSHOT,
            RedisCheckpointStore.SNAPSHOT,
            RedisProgressStore.SNAPSHOT,
            RedisHandoffStore.SNAPSHOT,
            RedisUsageStore.SNAPSHOT,
            RedisBudgetStore.SNAPSHOT,
            RedisErrorLogStore.SNAPSHOT,
            RedisTierStore.SNAPSHOT,
            RedisAlertStore.SNAPSHOT,
            RedisSelfTestStore.SNAPSHOT,
            RedisDrillStore.SNAPSHOT,
            RedisTraceStore.SNAPSHOT,
            RedisTaskStore.SNAPSHOT,
            RedisRolloutStore.SNAPSHOT,
            RedisFlagStore.SNAPSHOT,
            RedisTranscriptCursorStore.SNAPSHOT);

    /** The part of each record type; every type of {@link SnapshotRecord#TYPES} has exactly one. */
    private static final Map<Class<? extends SnapshotRecord>, RedisSnapshotPart> OWNER = owners();

    private final RedisLink redis;
    private final RedisKeys keys;
    private final boolean pauseWrites;
    private final Duration pause;

    /**
     * @param pauseWrites false for a namespace that nothing else writes (a scratch namespace)
     * @param pause how long an export may pause writes
     */
    RedisSnapshotStore(RedisLink redis, RedisKeys keys, boolean pauseWrites, Duration pause) {
        this.redis = redis;
        this.keys = keys;
        this.pauseWrites = pauseWrites;
        this.pause = pause;
    }

    private static Map<Class<? extends SnapshotRecord>, RedisSnapshotPart> owners() {
        Map<Class<? extends SnapshotRecord>, RedisSnapshotPart> owners = new HashMap<>();
        for (RedisSnapshotPart part : PARTS) {
            for (Class<? extends SnapshotRecord> type : part.types()) {
                if (owners.put(type, part) != null) {
                    throw new IllegalStateException("two snapshot parts export " + type.getSimpleName());
                }
            }
        }
        for (Class<? extends SnapshotRecord> type : SnapshotRecord.TYPES.values()) {
            if (!owners.containsKey(type)) {
                throw new IllegalStateException("no Redis snapshot part exports " + type.getSimpleName());
            }
        }
        return Map.copyOf(owners);
    }

    /** The part that exports and restores records of {@code type}. */
    static RedisSnapshotPart owner(Class<? extends SnapshotRecord> type) {
        return OWNER.get(type);
    }

    @Override
    public void export(Consumer<SnapshotRecord> sink) {
        List<SnapshotRecord> records;
        try (RedisLink.Dedicated d = redis.dedicated()) {
            records = pauseWrites ? readPaused(d) : read(d);
        } catch (RedisException e) {
            throw redis.unavailable("export", e);
        }
        records.forEach(sink);
    }

    private List<SnapshotRecord> read(RedisLink.Dedicated d) {
        return new RedisSnapshotExport(keys, d.sync(), new RedisPipeline(d.async(), d.timeout())).read();
    }

    private List<SnapshotRecord> readPaused(RedisLink.Dedicated d) {
        String token = lock();
        List<RedisClusterCommands<String, String>> paused = new ArrayList<>();
        // The pause ends no earlier than `pause` after the first CLIENT PAUSE was sent.
        long start = System.nanoTime();
        try {
            for (RedisClusterCommands<String, String> master : d.masters().get()) {
                try {
                    client(master, "PAUSE", Long.toString(pause.toMillis()), "WRITE");
                } catch (RedisCommandExecutionException e) {
                    throw pauseRefused(e);
                }
                paused.add(master);
            }
            List<SnapshotRecord> records = read(d);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (took.compareTo(pause) >= 0) {
                throw new HubException.Unavailable(
                        "export_too_slow",
                        "Reading the Redis store took " + took.toMillis() + " ms, longer than the export may pause"
                                + " writes (" + pause.toMillis() + " ms), so other nodes may have written meanwhile;"
                                + " retry when Redis is less busy.",
                        Duration.ofSeconds(60),
                        Map.of("tookMillis", took.toMillis()));
            }
            return records;
        } finally {
            for (RedisClusterCommands<String, String> master : paused) {
                try {
                    client(master, "UNPAUSE");
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Cannot end the export's write pause on a Redis master; it ends by itself within {}",
                            pause,
                            e);
                }
            }
            unlock(token);
        }
    }

    private static void client(RedisClusterCommands<String, String> c, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            a.add(arg);
        }
        c.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), a);
    }

    private static HubException pauseRefused(RedisCommandExecutionException e) {
        return new HubException.Unavailable(
                "pause_refused",
                "The export pauses writes with CLIENT PAUSE, which Redis refused (" + e.getMessage()
                        + "); allow CLIENT PAUSE and CLIENT UNPAUSE for the hub's Redis user.",
                Duration.ofSeconds(3600),
                Map.of());
    }

    /** Takes the export lock for as long as the pause may last; another export holding it is a 503. */
    private String lock() {
        String token = UUID.randomUUID().toString();
        String ok = redis.call(
                "export lock",
                c -> c.set(RedisKeys.EXPORT_LOCK, token, SetArgs.Builder.nx().px(pause.toMillis())));
        if (!"OK".equals(ok)) {
            throw new HubException.Unavailable(
                    "export_running",
                    "Another export is pausing writes on this Redis; retry when it has finished.",
                    Duration.ofSeconds(10),
                    Map.of());
        }
        return token;
    }

    private void unlock(String token) {
        try {
            redis.eval(UNLOCK, ScriptOutputType.INTEGER, new String[] {RedisKeys.EXPORT_LOCK}, token);
        } catch (RuntimeException e) {
            LOG.warn("Cannot release the export lock; it expires within {}", pause, e);
        }
    }

    @Override
    public boolean isEmpty() {
        return redis.call("snapshot emptiness", c -> firstStateKey(c) == null);
    }

    /** Any key under the prefix but the operation counters, which are not state; null if there is none. */
    private String firstStateKey(RedisClusterCommands<String, String> c) {
        ScanArgs args = ScanArgs.Builder.matches(RedisKeys.startingWith(keys.domainStart()))
                .limit(1_000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = c.scan(cursor, args);
            for (String key : page.getKeys()) {
                if (!key.startsWith(keys.counterStart())) {
                    return key;
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return null;
    }

    @Override
    public void restore(Iterator<SnapshotRecord> records) {
        if (!isEmpty()) {
            throw new HubException.Conflict(
                    "store_not_empty",
                    "The store already holds data under the Redis key prefix '" + keys.prefix()
                            + "'; restore a snapshot only into an empty prefix (a new redis-prefix).",
                    Map.of("prefix", keys.prefix()));
        }
        try (RedisLink.Dedicated d = redis.dedicated()) {
            RedisSnapshotRestore restore = new RedisSnapshotRestore(keys, new RedisPipeline(d.async(), d.timeout()));
            try {
                restore.restore(records);
            } catch (RuntimeException e) {
                try {
                    restore.undo();
                } catch (RuntimeException u) {
                    e.addSuppressed(u);
                    LOG.warn(
                            "A failed restore could not delete the keys it wrote under the prefix {}; delete them"
                                    + " before restoring into it again",
                            keys.prefix(),
                            u);
                }
                throw e;
            }
        } catch (RedisException e) {
            throw redis.unavailable("restore", e);
        }
    }
}
