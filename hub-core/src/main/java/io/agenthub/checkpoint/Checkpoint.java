package io.agenthub.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One saved version of an agent's working state.
 *
 * @param agentId whose state this is; always the principal that saved it
 * @param version assigned by the store: 1 for an agent's first save, then one more than its previous save
 * @param context free-form notes for resuming, such as a summary of the conversation so far
 * @param contextTokens the size of the agent's context window in use when it saved, as reported
 */
public record Checkpoint(
        String agentId,
        long version,
        String currentTask,
        String progress,
        List<String> decisions,
        List<String> blockers,
        List<String> pendingWork,
        List<String> filesTouched,
        String context,
        long contextTokens,
        Instant createdAt) {
    public Checkpoint {
        Objects.requireNonNull(agentId, "agentId");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive");
        }
        currentTask = currentTask == null ? "" : currentTask;
        progress = progress == null ? "" : progress;
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
        blockers = blockers == null ? List.of() : List.copyOf(blockers);
        pendingWork = pendingWork == null ? List.of() : List.copyOf(pendingWork);
        filesTouched = filesTouched == null ? List.of() : List.copyOf(filesTouched);
        context = context == null ? "" : context;
        if (contextTokens < 0) {
            throw new IllegalArgumentException("contextTokens must not be negative");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Builds the stored form of {@code data}. */
    public static Checkpoint of(String agentId, long version, CheckpointData data, Instant createdAt) {
        return new Checkpoint(
                agentId,
                version,
                data.currentTask(),
                data.progress(),
                data.decisions(),
                data.blockers(),
                data.pendingWork(),
                data.filesTouched(),
                data.context(),
                data.contextTokens(),
                createdAt);
    }
}
