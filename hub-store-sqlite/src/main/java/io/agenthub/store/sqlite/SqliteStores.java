package io.agenthub.store.sqlite;

import io.agenthub.agent.AgentStore;
import io.agenthub.agent.ProgressStore;
import io.agenthub.audit.AuditStore;
import io.agenthub.auth.CredentialStore;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.memory.MemoryStore;
import io.agenthub.message.LocalMessageSignal;
import io.agenthub.message.MessageSignal;
import io.agenthub.message.MessageStore;
import io.agenthub.store.Stores;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.UsageStore;
import java.nio.file.Path;

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
    private final SqliteHandoffStore handoffs;
    private final SqliteUsageStore usage;
    private final SqliteBudgetStore budgets;
    private final LocalMessageSignal signal;

    private SqliteStores(Path dataDir, SqliteDatabase db) {
        this.dataDir = dataDir;
        this.db = db;
        this.credentials = new SqliteCredentialStore(db);
        this.audit = new SqliteAuditStore(db);
        this.agents = new SqliteAgentStore(db);
        this.leases = new SqliteLeaseStore(db);
        this.messages = new SqliteMessageStore(db);
        this.memories = new SqliteMemoryStore(db);
        this.checkpoints = new SqliteCheckpointStore(db);
        this.progress = new SqliteProgressStore(db);
        this.handoffs = new SqliteHandoffStore(db);
        this.usage = new SqliteUsageStore(db);
        this.budgets = new SqliteBudgetStore(db);
        // Readers wait for cursors above what they have seen; start from the stored high mark so that a restart never
        // makes the signal report a cursor lower than one already handed out.
        this.signal = new LocalMessageSignal(messages.latestCursor());
    }

    /**
     * Opens (creating and migrating if needed) {@code hub.db} in {@code dataDir}.
     *
     * @param fullSync fsync on every commit ({@code synchronous=FULL}); otherwise WAL with {@code synchronous=NORMAL},
     *     which survives a crash of the process but may lose the last commits on power loss
     */
    public static SqliteStores open(Path dataDir, boolean fullSync) {
        return new SqliteStores(dataDir, new SqliteDatabase(dataDir.resolve("hub.db"), fullSync, 4));
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
    public MessageSignal messageSignal() {
        return signal;
    }

    @Override
    public void ping() {
        db.read(c -> c.isValid(2));
    }

    @Override
    public void close() {
        db.close();
    }
}
