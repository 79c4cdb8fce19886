package io.agenthub.server.http;

import io.agenthub.drill.DrillRun;
import io.agenthub.error.HubException;
import io.agenthub.server.drill.Chaos;
import io.agenthub.server.drill.Drill;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/drills} (admin) runs the coordination drill now and answers with the scored run;
 * {@code GET /api/drills} lists the stored runs, newest first ({@code ?limit=}, at most {@link Drill#KEEP});
 * {@code POST /api/chaos} (admin) runs a chaos scenario in a scratch namespace and answers with its checks.
 */
public final class DrillRoutes {
    private final Drill drill;
    private final Chaos chaos;

    record RunBody(Boolean liveTier) {}

    record ChaosBody(String scenario, Integer durationSeconds, Integer agents) {}

    public DrillRoutes(Drill drill, Chaos chaos) {
        this.drill = drill;
        this.chaos = chaos;
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
        r.post("/api/chaos", Access.ADMIN, call -> {
            ChaosBody b = call.body(ChaosBody.class);
            if (b.scenario() == null) {
                throw new HubException.InvalidRequest(
                        "scenario is required: one of " + String.join(", ", Chaos.SCENARIOS) + ".");
            }
            return Reply.ok(chaos.run(
                    b.scenario(),
                    Duration.ofSeconds(b.durationSeconds() == null ? 60 : b.durationSeconds()),
                    b.agents() == null ? 10 : b.agents()));
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
