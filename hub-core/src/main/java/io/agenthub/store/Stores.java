package io.agenthub.store;

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
import io.agenthub.task.TaskStore;
import io.agenthub.tier.TierStore;
import io.agenthub.trace.TraceStore;
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

    /** Per agent and session, how far a transcript has been counted into usage (Claude Code hooks). */
    io.agenthub.usage.TranscriptCursorStore transcriptCursors();

    /**
     * Handoffs. Accepting one moves leases, so this store shares the fencing-token counter (and the lease records) of
     * {@link #leases()}.
     */
    HandoffStore handoffs();

    /** Token and cost counters per day, agent, pool and model. */
    UsageStore usage();

    /** Budget alerts, halts and their acknowledgements. */
    BudgetStore budgets();

    ErrorLogStore errorLog();

    TierStore tiers();

    AlertStore alerts();

    CounterStore counters();

    TraceStore traces();

    /**
     * The rate limiter's token buckets. A backend that one process owns keeps them in memory (no I/O per check); a
     * shared backend keeps them where every hub node sees them, so that limits hold for the hub, not per node.
     */
    RateLimitStore rateLimits();

    SelfTestStore selfTests();

    /** The coordination drill's history. */
    io.agenthub.drill.DrillStore drills();

    /**
     * The work queue. Claims lease the task's resources in the same atomic step, so this store shares the lease records
     * and the fencing-token counter of {@link #leases()}.
     */
    TaskStore tasks();

    /** Rollouts: each pool's routing between versions and the outcome counters that judge it. */
    io.agenthub.rollout.RolloutStore rollouts();

    /** Feature flags and their version number. */
    io.agenthub.flag.FlagStore flags();

    /** Export and restore of all the state above. */
    SnapshotStore snapshots();

    /**
     * Opens a new, empty namespace on the same backend (the same database server or disk, separate data) for the
     * self-test's synthetic checks, so that they exercise the real storage path without touching the hub's data.
     * Closing the returned stores deletes the namespace and everything in it. Several namespaces may be open at once.
     *
     * @param namespace letters, digits and {@code -}, unique among open namespaces
     */
    Stores openScratch(String namespace);

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

    /**
     * Wakes long-polling task claimers on every hub node that shares this backend; it carries {@link
     * TaskStore#changeCount()}.
     */
    MessageSignal taskSignal();

    /**
     * Announces which kinds of state changed to every hub node that shares this backend (the dashboard's reader waits
     * on it instead of polling).
     */
    ChangeSignal changeSignal();

    /** Cheap check that the store answers; throws {@link io.agenthub.error.HubException.Unavailable} if not. */
    void ping();

    @Override
    void close();
}
