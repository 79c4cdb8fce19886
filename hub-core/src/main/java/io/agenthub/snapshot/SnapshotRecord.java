package io.agenthub.snapshot;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Progress;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Credential;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.errorlog.ErrorEvent;
import io.agenthub.errorlog.ErrorIssue;
import io.agenthub.errorlog.HourlyCount;
import io.agenthub.handoff.Handoff;
import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.message.Message;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.tier.TierChange;
import io.agenthub.trace.TraceEntry;
import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.Halt;
import io.agenthub.usage.UsageRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of a snapshot: a backend-neutral unit of state. A snapshot lists records grouped by type in
 * {@link #TYPES} order; each backend exports its state as these records and restores them. Anything a backend keeps
 * that is not listed here is derived (indexes, caches) and rebuilt on restore.
 */
public sealed interface SnapshotRecord {
    /** Type names in the JSON lines format, in export order, with their record classes. */
    Map<String, Class<? extends SnapshotRecord>> TYPES = orderedTypes();

    /** Names in export order. */
    List<String> ORDER = List.copyOf(TYPES.keySet());

    private static Map<String, Class<? extends SnapshotRecord>> orderedTypes() {
        java.util.LinkedHashMap<String, Class<? extends SnapshotRecord>> m = new java.util.LinkedHashMap<>();
        m.put("fence", Fence.class);
        m.put("cursor", Cursor.class);
        m.put("credential", CredentialRow.class);
        m.put("agent", AgentRow.class);
        m.put("audit", AuditRow.class);
        m.put("lease", LeaseRow.class);
        m.put("message", MessageRow.class);
        m.put("inbox", InboxRow.class);
        m.put("ack", AckRow.class);
        m.put("memory", MemoryRow.class);
        m.put("checkpoint", CheckpointRow.class);
        m.put("progress", ProgressRow.class);
        m.put("handoff", HandoffRow.class);
        m.put("usage", UsageCounter.class);
        m.put("budget-alert", BudgetAlertRow.class);
        m.put("budget-halt", HaltRow.class);
        m.put("budget-ack", BudgetAckRow.class);
        m.put("error-issue", ErrorIssueRow.class);
        m.put("error-event", ErrorEventRow.class);
        m.put("error-hour", ErrorHourRow.class);
        m.put("tier", TierRow.class);
        m.put("alert-state", AlertStateRow.class);
        m.put("alert-event", AlertEventRow.class);
        m.put("self-test", SelfTestRow.class);
        m.put("drill", DrillRow.class);
        m.put("trace", TraceRow.class);
        m.put("task", TaskRow.class);
        m.put("rollout", RolloutRow.class);
        m.put("flag", FlagRow.class);
        m.put("transcript-cursor", TranscriptCursorRow.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The type name of this record. */
    default String type() {
        for (Map.Entry<String, Class<? extends SnapshotRecord>> e : TYPES.entrySet()) {
            if (e.getValue() == getClass()) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("unregistered snapshot record " + getClass());
    }

    /** The last fencing token handed out; new grants continue above it. */
    record Fence(long lastToken) implements SnapshotRecord {}

    /** The highest message cursor ever handed out (also if that message was purged); new cursors continue above it. */
    record Cursor(long lastCursor) implements SnapshotRecord {}

    record CredentialRow(Credential credential) implements SnapshotRecord {
        public CredentialRow {
            Objects.requireNonNull(credential);
        }
    }

    record AgentRow(Agent agent) implements SnapshotRecord {
        public AgentRow {
            Objects.requireNonNull(agent);
        }
    }

    record AuditRow(AuditEvent event) implements SnapshotRecord {
        public AuditRow {
            Objects.requireNonNull(event);
        }
    }

    /** The latest grant on a resource; {@code releasedAt} is null unless it was released. */
    record LeaseRow(Lease lease, Instant releasedAt) implements SnapshotRecord {
        public LeaseRow {
            Objects.requireNonNull(lease);
        }
    }

    record MessageRow(Message message) implements SnapshotRecord {
        public MessageRow {
            Objects.requireNonNull(message);
        }
    }

    /** Message {@code cursor} is in {@code agentId}'s inbox. */
    record InboxRow(String agentId, long cursor) implements SnapshotRecord {
        public InboxRow {
            Objects.requireNonNull(agentId);
        }
    }

    /** {@code agentId} acknowledged its inbox up to {@code cursor}. */
    record AckRow(String agentId, long cursor) implements SnapshotRecord {
        public AckRow {
            Objects.requireNonNull(agentId);
        }
    }

    /** A memory entry; {@code deletedAt} and {@code deletedBy} are null unless it was forgotten. */
    record MemoryRow(Memory memory, Instant deletedAt, String deletedBy) implements SnapshotRecord {
        public MemoryRow {
            Objects.requireNonNull(memory);
        }
    }

    record CheckpointRow(Checkpoint checkpoint) implements SnapshotRecord {
        public CheckpointRow {
            Objects.requireNonNull(checkpoint);
        }
    }

    /** An agent's progress marks (stall detection). */
    record ProgressRow(Progress progress) implements SnapshotRecord {
        public ProgressRow {
            Objects.requireNonNull(progress);
        }
    }

    /**
     * A handoff in any state; {@code dedupeKey} is the key that keeps at most one open handoff per purpose (empty for
     * none).
     */
    record HandoffRow(Handoff handoff, String dedupeKey) implements SnapshotRecord {
        public HandoffRow {
            Objects.requireNonNull(handoff);
            dedupeKey = dedupeKey == null ? "" : dedupeKey;
        }
    }

    /** Usage counters of one (day, agent, pool, model); day totals are derived from these on restore. */
    record UsageCounter(UsageRow row) implements SnapshotRecord {
        public UsageCounter {
            Objects.requireNonNull(row);
        }
    }

    record BudgetAlertRow(BudgetAlert alert) implements SnapshotRecord {
        public BudgetAlertRow {
            Objects.requireNonNull(alert);
        }
    }

    /** A budget halt in force. */
    record HaltRow(Halt halt) implements SnapshotRecord {
        public HaltRow {
            Objects.requireNonNull(halt);
        }
    }

    /** An acknowledgement that lifted a halt, in the order they were made. */
    record BudgetAckRow(Acknowledgement acknowledgement) implements SnapshotRecord {
        public BudgetAckRow {
            Objects.requireNonNull(acknowledgement);
        }
    }

    record ErrorIssueRow(ErrorIssue issue) implements SnapshotRecord {
        public ErrorIssueRow {
            Objects.requireNonNull(issue);
        }
    }

    record ErrorEventRow(ErrorEvent event) implements SnapshotRecord {
        public ErrorEventRow {
            Objects.requireNonNull(event);
        }
    }

    record ErrorHourRow(HourlyCount count) implements SnapshotRecord {
        public ErrorHourRow {
            Objects.requireNonNull(count);
        }
    }

    record TierRow(TierChange change) implements SnapshotRecord {
        public TierRow {
            Objects.requireNonNull(change);
        }
    }

    record AlertStateRow(AlertState state) implements SnapshotRecord {
        public AlertStateRow {
            Objects.requireNonNull(state);
        }
    }

    record AlertEventRow(AlertEvent event) implements SnapshotRecord {
        public AlertEventRow {
            Objects.requireNonNull(event);
        }
    }

    record SelfTestRow(SelfTestRun run) implements SnapshotRecord {
        public SelfTestRow {
            Objects.requireNonNull(run);
        }
    }

    record DrillRow(io.agenthub.drill.DrillRun run) implements SnapshotRecord {
        public DrillRow {
            Objects.requireNonNull(run);
        }
    }

    record TraceRow(TraceEntry entry) implements SnapshotRecord {
        public TraceRow {
            Objects.requireNonNull(entry);
        }
    }

    /**
     * One task of the work queue with its history. Its claim's leases are lease records; the task number counter
     * continues above the highest restored.
     */
    record TaskRow(io.agenthub.task.Task task, List<io.agenthub.task.TaskEvent> history) implements SnapshotRecord {
        public TaskRow {
            Objects.requireNonNull(task);
            history = List.copyOf(history);
        }
    }

    /**
     * One pool's rollout (routing state and decision log). Its outcome counters are observations of the current step,
     * like operation counters, and are not exported: a restored rollout counts its step again from the restore.
     */
    record RolloutRow(io.agenthub.rollout.Rollout rollout) implements SnapshotRecord {
        public RolloutRow {
            Objects.requireNonNull(rollout);
        }
    }

    /** One feature flag's definition; the flags' version number starts again above zero after a restore. */
    record FlagRow(io.agenthub.flag.Flag flag) implements SnapshotRecord {
        public FlagRow {
            Objects.requireNonNull(flag);
        }
    }

    /**
     * How far a session transcript was counted into usage ({@link io.agenthub.usage.TranscriptCursorStore}), so that a
     * restored hub does not count the same turns again. {@code updatedAt} is when it last moved (SQLite's
     * retention counts from it; Redis keeps a restored cursor {@link io.agenthub.usage.TranscriptCursorStore#RESTORED_KEEP}).
     */
    record TranscriptCursorRow(
            String agentId, String sessionId, io.agenthub.usage.TranscriptCursor cursor, Instant updatedAt)
            implements SnapshotRecord {
        public TranscriptCursorRow {
            Objects.requireNonNull(agentId);
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(cursor);
            Objects.requireNonNull(updatedAt);
        }
    }
}
