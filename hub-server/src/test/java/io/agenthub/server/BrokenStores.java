package io.agenthub.server;

import io.agenthub.agent.AgentStore;
import io.agenthub.alert.AlertStore;
import io.agenthub.audit.AuditStore;
import io.agenthub.auth.CredentialStore;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryStore;
import io.agenthub.message.MessageSignal;
import io.agenthub.message.MessageStore;
import io.agenthub.ops.CounterStore;
import io.agenthub.selftest.SelfTestStore;
import io.agenthub.snapshot.SnapshotStore;
import io.agenthub.store.Stores;
import io.agenthub.tier.TierStore;
import io.agenthub.trace.TraceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A backend whose scratch namespaces have a memory store that refuses every write, as a full or failing disk would:
 * everything else works. The self-test run on it must turn the memory checks red and leave the others green.
 */
final class BrokenStores implements Stores {
    private final Stores delegate;
    private final boolean broken;

    BrokenStores(Stores delegate, boolean broken) {
        this.delegate = delegate;
        this.broken = broken;
    }

    @Override
    public Stores openScratch(String namespace) {
        return new BrokenStores(delegate.openScratch(namespace), true);
    }

    @Override
    public MemoryStore memories() {
        MemoryStore real = delegate.memories();
        if (!broken) {
            return real;
        }
        return new MemoryStore() {
            private HubException refuse() {
                return new HubException.Unavailable(
                        "The SQLite store failed: disk I/O error (injected)", Duration.ofSeconds(1), null);
            }

            @Override
            public Optional<Added> add(Memory memory, io.agenthub.memory.MemoryQuota quota) {
                throw refuse();
            }

            @Override
            public Optional<Memory> merge(String intoId, String fromId, Instant now) {
                throw refuse();
            }

            @Override
            public List<String> decay(Instant before, int limit, Instant now) {
                throw refuse();
            }

            @Override
            public Optional<Memory> find(String id) {
                return real.find(id);
            }

            @Override
            public List<Memory> search(String query, List<String> tags, Memory.Category category, int limit) {
                return real.search(query, tags, category, limit);
            }

            @Override
            public boolean delete(String id, String deletedBy, Instant now) {
                throw refuse();
            }

            @Override
            public int recordRecall(Collection<String> ids, Instant now) {
                throw refuse();
            }
        };
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public CredentialStore credentials() {
        return delegate.credentials();
    }

    @Override
    public AuditStore audit() {
        return delegate.audit();
    }

    @Override
    public AgentStore agents() {
        return delegate.agents();
    }

    @Override
    public LeaseStore leases() {
        return delegate.leases();
    }

    @Override
    public MessageStore messages() {
        return delegate.messages();
    }

    @Override
    public CheckpointStore checkpoints() {
        return delegate.checkpoints();
    }

    @Override
    public io.agenthub.agent.ProgressStore progress() {
        return delegate.progress();
    }

    @Override
    public io.agenthub.usage.TranscriptCursorStore transcriptCursors() {
        return delegate.transcriptCursors();
    }

    @Override
    public io.agenthub.handoff.HandoffStore handoffs() {
        return delegate.handoffs();
    }

    @Override
    public io.agenthub.usage.UsageStore usage() {
        return delegate.usage();
    }

    @Override
    public io.agenthub.usage.BudgetStore budgets() {
        return delegate.budgets();
    }

    @Override
    public ErrorLogStore errorLog() {
        return delegate.errorLog();
    }

    @Override
    public TierStore tiers() {
        return delegate.tiers();
    }

    @Override
    public AlertStore alerts() {
        return delegate.alerts();
    }

    @Override
    public io.agenthub.ratelimit.RateLimitStore rateLimits() {
        return delegate.rateLimits();
    }

    @Override
    public CounterStore counters() {
        return delegate.counters();
    }

    @Override
    public TraceStore traces() {
        return delegate.traces();
    }

    @Override
    public SelfTestStore selfTests() {
        return delegate.selfTests();
    }

    @Override
    public io.agenthub.drill.DrillStore drills() {
        return delegate.drills();
    }

    @Override
    public SnapshotStore snapshots() {
        return delegate.snapshots();
    }

    @Override
    public MessageSignal messageSignal() {
        return delegate.messageSignal();
    }

    @Override
    public void ping() {
        delegate.ping();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public io.agenthub.flag.FlagStore flags() {
        return delegate.flags();
    }

    @Override
    public io.agenthub.rollout.RolloutStore rollouts() {
        return delegate.rollouts();
    }

    @Override
    public io.agenthub.task.TaskStore tasks() {
        return delegate.tasks();
    }

    @Override
    public io.agenthub.message.MessageSignal taskSignal() {
        return delegate.taskSignal();
    }

    @Override
    public io.agenthub.store.ChangeSignal changeSignal() {
        return delegate.changeSignal();
    }
}
