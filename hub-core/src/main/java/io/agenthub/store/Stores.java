package io.agenthub.store;

import io.agenthub.agent.AgentStore;
import io.agenthub.agent.ProgressStore;
import io.agenthub.audit.AuditStore;
import io.agenthub.auth.CredentialStore;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.memory.MemoryStore;
import io.agenthub.message.MessageSignal;
import io.agenthub.message.MessageStore;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.UsageStore;
import java.time.InstantSource;

/**
 * One storage backend: an implementation of every domain's SPI over one shared source of truth. The composition root
 * picks one from the configuration; nothing else knows which.
 */
public interface Stores extends AutoCloseable {
    /** A short name for logs and health, e.g. {@code sqlite}. */
    String backend();

    CredentialStore credentials();

    AuditStore audit();

    AgentStore agents();

    LeaseStore leases();

    MessageStore messages();

    MemoryStore memories();

    CheckpointStore checkpoints();

    /** Progress marks for stall detection. */
    ProgressStore progress();

    /**
     * Handoffs. Accepting one moves leases, so this store shares the fencing-token counter (and the lease records) of
     * {@link #leases()}.
     */
    HandoffStore handoffs();

    /** Token and cost counters per day, agent, pool and model. */
    UsageStore usage();

    /** Budget alerts, halts and their acknowledgements. */
    BudgetStore budgets();

    /**
     * The clock by which the hub judges time (lease expiry, presence, retention), given the node's own clock. Several
     * hub nodes that share a backend must judge expiry by one clock, or a node whose clock runs ahead would take a
     * lease that another still counts as held: a shared backend therefore returns a clock derived from its own (Redis
     * derives one from its server's {@code TIME}). A backend that only one process opens returns {@code local}
     * unchanged, which is the default. Stores never read this clock: every SPI method takes {@code now} from the
     * caller, who reads it here.
     */
    default InstantSource clock(InstantSource local) {
        return local;
    }

    /** Wakes long-polls and event streams on every hub node that shares this backend. */
    MessageSignal messageSignal();

    /** Cheap check that the store answers; throws {@link io.agenthub.error.HubException.Unavailable} if not. */
    void ping();

    @Override
    void close();
}
