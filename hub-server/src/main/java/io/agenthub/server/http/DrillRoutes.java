package io.agenthub.server.http;

import io.agenthub.drill.DrillRun;
import io.agenthub.server.drill.Drill;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/drills} (admin) runs the coordination drill now and answers with the scored run;
 * {@code GET /api/drills} lists the stored runs, newest first ({@code ?limit=}, at most {@link Drill#KEEP}).
 */
public final class DrillRoutes {
    private final Drill drill;

    record RunBody(Boolean liveTier) {}

    public DrillRoutes(Drill drill) {
        this.drill = drill;
    }

    public void register(Router r) {
        r.get("/api/drills", Access.READ, call -> {
            int limit = call.queryInt("limit", 10, 1, Drill.KEEP);
            return Reply.ok(Map.of(
                    "drills",
                    drill.history(limit).stream().map(DrillRoutes::render).toList()));
        });
        r.post("/api/drills", Access.ADMIN, call -> {
            RunBody b = call.bodyOr(RunBody.class, new RunBody(false));
            boolean liveTier = b.liveTier() != null && b.liveTier();
            return Reply.ok(render(drill.run("request", new Drill.Options(liveTier), call.principal())));
        });
    }

    static Map<String, Object> render(DrillRun run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id());
        out.put("ok", run.ok());
        out.put("score", run.score());
        out.put(
                "summary",
                run.score() + "/100, " + run.passed() + "/" + (run.passed() + run.failed()) + " steps passed");
        out.put("trigger", run.trigger());
        out.put("node", run.node());
        out.put("startedAt", run.startedAt());
        out.put("durationMillis", run.durationMillis());
        out.put("passed", run.passed());
        out.put("failed", run.failed());
        out.put("skipped", run.skipped());
        out.put("steps", run.steps());
        return out;
    }
}
