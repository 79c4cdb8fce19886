package io.agenthub.store.redis;

import io.agenthub.agent.AgentStore;
import io.agenthub.agent.ProgressStore;
import io.agenthub.alert.AlertStore;
import io.agenthub.audit.AuditStore;
import io.agenthub.auth.CredentialStore;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.memory.MemoryStore;
import io.agenthub.message.MessageSignal;
import io.agenthub.message.MessageStore;
import io.agenthub.ops.CounterStore;
import io.agenthub.ratelimit.RateLimitStore;
import io.agenthub.selftest.SelfTestStore;
import io.agenthub.snapshot.SnapshotStore;
import io.agenthub.store.ChangeSignal;
import io.agenthub.store.Stores;
import io.agenthub.tier.TierStore;
import io.agenthub.trace.TraceStore;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.UsageStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shared backend: every store in one Redis (7.0 or newer, or Valkey), so that any number of hub nodes serve one
 * hub. Atomicity lives in Redis (one Lua script per operation), key names in {@link RedisKeys} under a configurable
 * prefix, and time in a {@link RedisClock} that every node derives from the server's clock.
 */
public final class RedisStores implements Stores {
    /**
     * Multiplexed connections per node. One: every request thread's commands share it, so the writes that
     * {@link RedisLink} consolidates, and Redis's replies, go out in fewer, larger socket writes on both sides. Against
     * four connections this served 8% more lease pairs per second with 16% less hub CPU per request and 23% less Redis
     * CPU per pair (docs/benchmarks.md).
     */
    private static final int CONNECTIONS = 1;
    /** How often each node re-measures its offset from the Redis clock. */
    private static final Duration CLOCK_REFRESH = Duration.ofSeconds(5);

    private final RedisLink redis;
    private final RedisKeys keys;
    private final RedisCredentialStore credentials;
    private final RedisAuditStore audit;
    private final RedisAgentStore agents;
    private final RedisLeaseStore leases;
    private final RedisMessageStore messages;
    private final RedisMemoryStore memories;
    private final RedisCheckpointStore checkpoints;
    private final RedisProgressStore progress;
    private final RedisTranscriptCursorStore transcriptCursors;
    private final RedisHandoffStore handoffs;
    private final RedisUsageStore usage;
    private final RedisBudgetStore budgets;
    private final RedisErrorLogStore errorLog;
    private final RedisTierStore tiers;
    private final RedisAlertStore alerts;
    private final RedisCounterStore counters;
    private final RedisTraceStore traces;
    private final RedisSelfTestStore selfTests;
    private final RedisDrillStore drills;
    private final RedisSnapshotStore snapshots;
    private final RedisRateLimitStore rateLimits;
    private final RedisMessageSignal signal;
    private final RedisTaskStore tasks;
    private final RedisRolloutStore rollouts;
    private final RedisFlagStore flags;
    /** Opened on first use: its subscription is a connection of its own. */
    private RedisMessageSignal taskSignal;
    /** Opened on first use, as the task signal. */
    private RedisChangeSignal changeSignal;
    /** False for a scratch namespace, which shares its parent's connections. */
    private final boolean ownsLink;
    /**
     * True for a scratch namespace opened on the hub's own store: it deletes its keys on close. A scratch namespace
     * opened inside another one leaves that to the outer one, whose prefix covers it: deleting takes a SCAN of the
     * whole keyspace, so a self-test's 77 checks clean up with one SCAN instead of 77.
     */
    private final boolean deletesOnClose;

    private final List<AutoCloseable> clocks = new CopyOnWriteArrayList<>();

    private RedisStores(RedisLink redis, RedisKeys keys, boolean ownsLink, boolean deletesOnClose) {
        this.redis = redis;
        this.keys = keys;
        this.ownsLink = ownsLink;
        this.deletesOnClose = deletesOnClose;
        this.credentials = new RedisCredentialStore(redis, keys);
        this.audit = new RedisAuditStore(redis, keys);
        this.agents = new RedisAgentStore(redis, keys);
        this.leases = new RedisLeaseStore(redis, keys);
        this.messages = new RedisMessageStore(redis, keys);
        this.memories = new RedisMemoryStore(redis, keys);
        this.checkpoints = new RedisCheckpointStore(redis, keys);
        this.progress = new RedisProgressStore(redis, keys);
        this.transcriptCursors = new RedisTranscriptCursorStore(redis, keys);
        this.handoffs = new RedisHandoffStore(redis, keys);
        this.usage = new RedisUsageStore(redis, keys);
        this.budgets = new RedisBudgetStore(redis, keys);
        this.errorLog = new RedisErrorLogStore(redis, keys);
        this.tiers = new RedisTierStore(redis, keys);
        this.alerts = new RedisAlertStore(redis, keys);
        this.counters = new RedisCounterStore(redis, keys);
        this.traces = new RedisTraceStore(redis, keys);
        this.selfTests = new RedisSelfTestStore(redis, keys);
        this.drills = new RedisDrillStore(redis, keys);
        this.rateLimits = new RedisRateLimitStore(redis, keys);
        // A scratch namespace is written only by the self-test that opened it: its export need not pause writes.
        this.snapshots = new RedisSnapshotStore(redis, keys, ownsLink, RedisSnapshotStore.EXPORT_PAUSE);
        this.signal = new RedisMessageSignal(redis, keys.messageSignal(), messages::latestCursor);
        messages.copyRecentChat(signal::known);
        this.tasks = new RedisTaskStore(redis, keys);
        this.rollouts = new RedisRolloutStore(redis, keys);
        this.flags = new RedisFlagStore(redis, keys);
    }

    /**
     * Connects to Redis and checks that it answers.
     *
     * @param url {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for TLS
     * @param prefix put in front of every key, so that hubs sharing a Redis stay apart; no braces or whitespace
     * @param timeout the limit of every Redis call; a call that takes longer fails with
     *     {@link io.agenthub.error.HubException.Unavailable}
     * @throws io.agenthub.error.HubException.Unavailable if Redis cannot be reached
     * @throws IllegalArgumentException if the URL or prefix is malformed
     */
    public static RedisStores open(String url, String prefix, Duration timeout) {
        return open(url, prefix, timeout, RedisTls.DEFAULT);
    }

    /** As {@link #open(String, String, Duration)}, with the certificates of a {@code rediss://} connection. */
    public static RedisStores open(String url, String prefix, Duration timeout, RedisTls tls) {
        RedisKeys keys = new RedisKeys(prefix);
        RedisLink link = RedisLink.connect(url, timeout, CONNECTIONS, tls);
        try {
            link.call("ping", c -> c.ping());
            return new RedisStores(link, keys, true, false);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Where the store is (scheme, host, port, database; never credentials) and its key prefix. */
    public String location() {
        return redis.where() + " prefix " + keys.prefix();
    }

    /** True when the store is a Redis Cluster. */
    boolean clustered() {
        return redis.cluster();
    }

    /** A snapshot store of this namespace whose exports may pause writes for {@code pause}, for tests. */
    RedisSnapshotStore snapshots(java.time.Duration pause) {
        return new RedisSnapshotStore(redis, keys, true, pause);
    }

    /** The key prefix, for tests that reopen the same data. */
    String prefix() {
        return keys.prefix();
    }

    @Override
    public String backend() {
        return "redis";
    }

    /** A {@link RedisClock} over {@code local}: every node that shares this Redis reads the same time. */
    @Override
    public InstantSource clock(InstantSource local) {
        RedisClock clock = new RedisClock(local, this::serverTime, CLOCK_REFRESH);
        clocks.add(clock);
        return clock;
    }

    private Instant serverTime() {
        List<String> time = redis.call("time", c -> c.time());
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1_000);
    }

    @Override
    public CredentialStore credentials() {
        return credentials;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public AgentStore agents() {
        return agents;
    }

    @Override
    public LeaseStore leases() {
        return leases;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public MemoryStore memories() {
        return memories;
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public ProgressStore progress() {
        return progress;
    }

    @Override
    public io.agenthub.usage.TranscriptCursorStore transcriptCursors() {
        return transcriptCursors;
    }

    @Override
    public HandoffStore handoffs() {
        return handoffs;
    }

    @Override
    public UsageStore usage() {
        return usage;
    }

    @Override
    public BudgetStore budgets() {
        return budgets;
    }

    @Override
    public ErrorLogStore errorLog() {
        return errorLog;
    }

    @Override
    public TierStore tiers() {
        return tiers;
    }

    @Override
    public AlertStore alerts() {
        return alerts;
    }

    @Override
    public RateLimitStore rateLimits() {
        return rateLimits;
    }

    @Override
    public CounterStore counters() {
        return counters;
    }

    @Override
    public TraceStore traces() {
        return traces;
    }

    @Override
    public SelfTestStore selfTests() {
        return selfTests;
    }

    @Override
    public io.agenthub.drill.DrillStore drills() {
        return drills;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    /**
     * A scratch namespace is the same Redis under the prefix {@code <prefix>scratch:<namespace>:}, on the same
     * connections. Closing it deletes every key under that prefix.
     */
    @Override
    public Stores openScratch(String namespace) {
        if (!namespace.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("scratch namespace must be 1-64 letters, digits or '-'");
        }
        return new RedisStores(redis, keys.scratch(namespace), false, ownsLink);
    }

    /** Deletes every key under this store's prefix (a scratch namespace's, on close); on every node of a cluster. */
    private void deleteOwnKeys() {
        String match = RedisKeys.startingWith(keys.prefix());
        redis.call("scratch cleanup", c -> {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page =
                        c.scan(cursor, ScanArgs.Builder.matches(match).limit(500));
                for (String key : page.getKeys()) {
                    c.unlink(key);
                }
                cursor = page;
            } while (!cursor.isFinished());
            return null;
        });
    }

    @Override
    public io.agenthub.flag.FlagStore flags() {
        return flags;
    }

    @Override
    public io.agenthub.rollout.RolloutStore rollouts() {
        return rollouts;
    }

    @Override
    public io.agenthub.task.TaskStore tasks() {
        return tasks;
    }

    @Override
    public synchronized MessageSignal taskSignal() {
        if (taskSignal == null) {
            taskSignal = new RedisMessageSignal(redis, keys.taskSignal(), tasks::changeCount);
        }
        return taskSignal;
    }

    @Override
    public synchronized ChangeSignal changeSignal() {
        if (changeSignal == null) {
            changeSignal = new RedisChangeSignal(redis, keys.changeSignal());
        }
        return changeSignal;
    }

    @Override
    public MessageSignal messageSignal() {
        return signal;
    }

    @Override
    public void ping() {
        redis.call("ping", c -> c.ping());
    }

    @Override
    public void close() {
        agents.close();
        for (AutoCloseable clock : clocks) {
            try {
                clock.close();
            } catch (Exception e) {
                // A clock's refresher cannot fail to stop.
            }
        }
        signal.close();
        synchronized (this) {
            if (taskSignal != null) {
                taskSignal.close();
            }
            if (changeSignal != null) {
                changeSignal.close();
            }
        }
        if (ownsLink) {
            redis.close();
        } else if (deletesOnClose) {
            try {
                deleteOwnKeys();
            } catch (RuntimeException e) {
                // The keys stay behind under the scratch prefix; nothing reads them.
            }
        }
    }
}
