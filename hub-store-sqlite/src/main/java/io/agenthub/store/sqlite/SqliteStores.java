package io.agenthub.store.sqlite;

import io.agenthub.agent.AgentStore;
import io.agenthub.agent.ProgressStore;
import io.agenthub.alert.AlertStore;
import io.agenthub.audit.AuditStore;
import io.agenthub.auth.CredentialStore;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.memory.MemoryStore;
import io.agenthub.message.LocalMessageSignal;
import io.agenthub.message.MessageSignal;
import io.agenthub.message.MessageStore;
import io.agenthub.ops.CounterStore;
import io.agenthub.ratelimit.RateLimitStore;
import io.agenthub.selftest.SelfTestStore;
import io.agenthub.snapshot.SnapshotStore;
import io.agenthub.store.ChangeSignal;
import io.agenthub.store.LocalChangeSignal;
import io.agenthub.store.PrivateFiles;
import io.agenthub.store.Stores;
import io.agenthub.task.TaskStore;
import io.agenthub.tier.TierStore;
import io.agenthub.trace.TraceStore;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.UsageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded backend: every store on one SQLite file in WAL mode. One hub process owns the file; the server takes a
 * lock on the data directory so that a second process cannot open it.
 */
public final class SqliteStores implements Stores {
    private final Path dataDir;
    private final SqliteDatabase db;
    private final SqliteCredentialStore credentials;
    private final SqliteAuditStore audit;
    private final SqliteAgentStore agents;
    private final SqliteLeaseStore leases;
    private final SqliteMessageStore messages;
    private final SqliteMemoryStore memories;
    private final SqliteCheckpointStore checkpoints;
    private final SqliteProgressStore progress;
    private final SqliteTranscriptCursorStore transcriptCursors;
    private final SqliteHandoffStore handoffs;
    private final SqliteUsageStore usage;
    private final SqliteBudgetStore budgets;
    private final SqliteErrorLogStore errorLog;
    private final SqliteTierStore tiers;
    private final SqliteAlertStore alerts;
    private final SqliteCounterStore counters;
    private final SqliteTraceStore traces;
    private final SqliteSelfTestStore selfTests;
    private final SqliteDrillStore drills;
    private final SqliteSnapshotStore snapshots;
    private final SqliteRateLimitStore rateLimits = new SqliteRateLimitStore();
    private final LocalMessageSignal signal;
    private final SqliteTaskStore tasks;
    private final SqliteRolloutStore rollouts;
    private final SqliteFlagStore flags;
    private final LocalMessageSignal taskSignal;
    private final LocalChangeSignal changeSignal = new LocalChangeSignal();
    private final boolean scratch;

    private SqliteStores(Path dataDir, SqliteDatabase db, boolean scratch) {
        this.dataDir = dataDir;
        this.db = db;
        this.scratch = scratch;
        this.credentials = new SqliteCredentialStore(db);
        this.audit = new SqliteAuditStore(db);
        this.agents = new SqliteAgentStore(db);
        this.leases = new SqliteLeaseStore(db);
        this.messages = new SqliteMessageStore(db);
        this.memories = new SqliteMemoryStore(db);
        this.checkpoints = new SqliteCheckpointStore(db);
        this.progress = new SqliteProgressStore(db);
        this.transcriptCursors = new SqliteTranscriptCursorStore(db);
        this.handoffs = new SqliteHandoffStore(db);
        this.usage = new SqliteUsageStore(db);
        this.budgets = new SqliteBudgetStore(db);
        this.errorLog = new SqliteErrorLogStore(db);
        this.tiers = new SqliteTierStore(db);
        this.alerts = new SqliteAlertStore(db);
        this.counters = new SqliteCounterStore(db);
        this.traces = new SqliteTraceStore(db);
        this.selfTests = new SqliteSelfTestStore(db);
        this.drills = new SqliteDrillStore(db);
        this.snapshots = new SqliteSnapshotStore(db, agents::flush);
        // Readers wait for cursors above what they have seen; start from the stored high mark so that a restart never
        // makes the signal report a cursor lower than one already handed out.
        this.signal = new LocalMessageSignal(messages.latestCursor());
        this.tasks = new SqliteTaskStore(db);
        this.rollouts = new SqliteRolloutStore(db);
        this.flags = new SqliteFlagStore(db);
        this.taskSignal = new LocalMessageSignal(tasks.changeCount());
    }

    /**
     * Opens (creating and migrating if needed) {@code hub.db} in {@code dataDir}.
     *
     * @param fullSync fsync on every commit ({@code synchronous=FULL}); otherwise WAL with {@code synchronous=NORMAL},
     *     which survives a crash of the process but may lose the last commits on power loss
     */
    public static SqliteStores open(Path dataDir, boolean fullSync) {
        return new SqliteStores(dataDir, new SqliteDatabase(dataDir.resolve("hub.db"), fullSync, 4), false);
    }

    /** The directory that holds {@code hub.db}. */
    public Path dataDir() {
        return dataDir;
    }

    /** The database, for tests in this package that check what the SPI cannot see (such as index consistency). */
    SqliteDatabase database() {
        return db;
    }

    @Override
    public String backend() {
        return "sqlite";
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
     * A scratch namespace is a separate database file in {@code <data-dir>/scratch/<namespace>/}: the same disk and the
     * same code as the hub's own store. Closing it deletes the directory.
     */
    @Override
    public Stores openScratch(String namespace) {
        if (!namespace.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("scratch namespace must be 1-64 letters, digits or '-'");
        }
        Path dir = dataDir.resolve("scratch").resolve(namespace);
        try {
            PrivateFiles.directory(dir.getParent());
            PrivateFiles.directory(dir);
        } catch (UncheckedIOException e) {
            throw new HubException.Unavailable(
                    "Cannot create the scratch directory " + dir + ": "
                            + e.getCause().getMessage(),
                    Duration.ofSeconds(5),
                    e);
        }
        return new SqliteStores(dir, new SqliteDatabase(dir.resolve("hub.db"), false, 1, true), true);
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
    public TaskStore tasks() {
        return tasks;
    }

    @Override
    public MessageSignal taskSignal() {
        return taskSignal;
    }

    @Override
    public ChangeSignal changeSignal() {
        return changeSignal;
    }

    @Override
    public MessageSignal messageSignal() {
        return signal;
    }

    @Override
    public void ping() {
        db.read(c -> c.isValid(2));
    }

    @Override
    public void close() {
        // Presence kept in memory goes to the table before the writer stops.
        agents.close();
        db.close();
        if (scratch) {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Left behind; the next scratch run with this name fails loudly, which is what we want to know.
                }
            });
        } catch (IOException e) {
            // Nothing to delete.
        }
    }
}
