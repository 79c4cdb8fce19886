package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.STRING;
import static io.agenthub.server.mcp.Params.Type.STRING_ARRAY;

import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.checkpoint.CheckpointService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checkpoint tools: the same {@link CheckpointService} as {@code /api/checkpoints}; always the caller's own. */
final class CheckpointTools {
    private final CheckpointService checkpoints;

    CheckpointTools(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                        "checkpoint_save",
                        "Save a checkpoint",
                        "Save your working state so that you (or your successor) can resume after a restart or"
                                + " context loss; hub_start shows the latest. Save every 10-15 minutes and before you"
                                + " stop.",
                        Params.of()
                                .optional("currentTask", STRING, "What you are working on")
                                .optional("progress", STRING, "What is done so far")
                                .optional("decisions", STRING_ARRAY, "Decisions made, with reasons")
                                .optional("blockers", STRING_ARRAY, "What stops you")
                                .optional("pendingWork", STRING_ARRAY, "Next steps, in order")
                                .optional("filesTouched", STRING_ARRAY, "Files changed")
                                .optional("context", STRING, "Anything else needed to resume")
                                .optional("contextTokens", INTEGER, "Size of your context window in use"),
                        Shapes.object(Shapes.CHECKPOINT),
                        (caller, a) -> {
                            Long tokens = a.integer("contextTokens");
                            Checkpoint c = checkpoints.save(
                                    caller,
                                    new CheckpointData(
                                            a.string("currentTask"),
                                            a.string("progress"),
                                            a.strings("decisions"),
                                            a.strings("blockers"),
                                            a.strings("pendingWork"),
                                            a.strings("filesTouched"),
                                            a.string("context"),
                                            tokens == null ? 0 : tokens));
                            return Results.ok("Saved checkpoint v" + c.version() + ".", c);
                        }),
                HubTool.read(
                        "checkpoint_restore",
                        "Restore a checkpoint",
                        "Get your latest saved checkpoint, or an older version.",
                        Params.of().optional("version", INTEGER, "Version number; omit for the latest"),
                        Shapes.object("checkpoint:object?"),
                        (caller, a) -> {
                            Long version = a.integer("version");
                            Optional<Checkpoint> found = version == null
                                    ? checkpoints.latest(caller)
                                    : Optional.of(checkpoints.get(caller, version));
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("checkpoint", found.orElse(null));
                            return Results.ok(found.map(Lines::checkpoint).orElse("You have no checkpoint yet."), out);
                        }));
    }
}
