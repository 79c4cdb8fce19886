package io.agenthub.checkpoint;

import java.util.List;

/**
 * What an agent sends to save a checkpoint: every field of {@link Checkpoint} that the hub does not assign. Nulls become
 * empty; limits are checked by {@link CheckpointService}, so that a violation is reported as a request error.
 */
public record CheckpointData(
        String currentTask,
        String progress,
        List<String> decisions,
        List<String> blockers,
        List<String> pendingWork,
        List<String> filesTouched,
        String context,
        long contextTokens) {
    public CheckpointData {
        currentTask = currentTask == null ? "" : currentTask;
        progress = progress == null ? "" : progress;
        decisions = decisions == null ? List.of() : decisions;
        blockers = blockers == null ? List.of() : blockers;
        pendingWork = pendingWork == null ? List.of() : pendingWork;
        filesTouched = filesTouched == null ? List.of() : filesTouched;
        context = context == null ? "" : context;
    }
}
