package io.agenthub.server.http;

import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.checkpoint.CheckpointService;
import io.agenthub.tier.Work;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/checkpoints}: an agent saves its working state and reads it back after a restart. Saves are always under
 * the caller's own id; {@code ?agentId=} lets an admin read another agent's.
 */
public final class CheckpointRoutes {
    private final CheckpointService checkpoints;

    record SaveBody(
            String currentTask,
            String progress,
            List<String> decisions,
            List<String> blockers,
            List<String> pendingWork,
            List<String> filesTouched,
            String context,
            Long contextTokens) {}

    /** One line of the version list; {@code ?version=} fetches the whole checkpoint. */
    record Summary(long version, Instant createdAt, String currentTask, String progress, long contextTokens) {
        static Summary of(Checkpoint c) {
            return new Summary(c.version(), c.createdAt(), c.currentTask(), c.progress(), c.contextTokens());
        }
    }

    public CheckpointRoutes(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    public void register(Router r) {
        r.post("/api/checkpoints", Access.WRITE, Work.UPKEEP, call -> {
            SaveBody b = call.body(SaveBody.class);
            CheckpointData data = new CheckpointData(
                    b.currentTask(),
                    b.progress(),
                    b.decisions(),
                    b.blockers(),
                    b.pendingWork(),
                    b.filesTouched(),
                    b.context(),
                    b.contextTokens() == null ? 0 : b.contextTokens());
            return Reply.created(checkpoints.save(call.principal(), data));
        });
        r.get("/api/checkpoints", Access.READ, this::read);
    }

    private Reply read(Call call) {
        String agentId = call.query("agentId");
        if (call.query("version") != null) {
            return Reply.ok(checkpoints.get(call.principal(), agentId, call.queryLong("version", 0)));
        }
        Integer limit = call.queryInt("limit", 1, CheckpointService.MAX_LIST);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latest", checkpoints.latest(call.principal(), agentId).orElse(null));
        out.put(
                "versions",
                checkpoints.versions(call.principal(), agentId, limit).stream()
                        .map(Summary::of)
                        .toList());
        return Reply.ok(out);
    }
}
