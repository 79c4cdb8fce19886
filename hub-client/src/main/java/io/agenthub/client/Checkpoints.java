package io.agenthub.client;

import java.time.Instant;
import java.util.List;

/** {@code /api/checkpoints}: an agent's saved working state, read back after a restart. */
public final class Checkpoints {
    private final Transport t;

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
            Instant createdAt) {}

    /** What to save; null fields are saved empty. */
    public record Data(
            String currentTask,
            String progress,
            List<String> decisions,
            List<String> blockers,
            List<String> pendingWork,
            List<String> filesTouched,
            String context,
            Long contextTokens) {}

    /** One line of the version list. */
    public record Summary(long version, Instant createdAt, String currentTask, String progress, long contextTokens) {}

    /** The latest checkpoint (null if none) and the versions, newest first. */
    public record History(Checkpoint latest, List<Summary> versions) {}

    Checkpoints(Transport t) {
        this.t = t;
    }

    /** Saves a new version under the caller's id. */
    public Checkpoint save(Data data) {
        return t.post("/api/checkpoints", data, Checkpoint.class);
    }

    /** The caller's history, or (admin) another agent's; {@code limit} null: the hub's default. */
    public History history(String agentId, Integer limit) {
        return t.get(Transport.query("/api/checkpoints", "agentId", agentId, "limit", limit), History.class);
    }

    /** One version in full. */
    public Checkpoint get(String agentId, long version) {
        return t.get(Transport.query("/api/checkpoints", "agentId", agentId, "version", version), Checkpoint.class);
    }
}
