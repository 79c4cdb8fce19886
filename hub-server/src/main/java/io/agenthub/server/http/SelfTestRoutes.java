package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.selftest.SelfTest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/tools-test}: runs the self-test (every check, or {@code ?tool=NAME}), lists the checks
 * ({@code ?action=list}) or returns the latest stored run ({@code ?action=results}).
 */
public final class SelfTestRoutes {
    private final SelfTest selfTest;

    public SelfTestRoutes(SelfTest selfTest) {
        this.selfTest = selfTest;
    }

    public void register(Router r) {
        r.get("/api/tools-test", Access.READ, call -> {
            String action = call.query("action");
            if ("list".equals(action)) {
                return Reply.ok(Map.of(
                        "checks",
                        selfTest.checks().stream()
                                .map(c -> Map.of(
                                        "name", c.name(),
                                        "capability", c.capability(),
                                        "description", c.description(),
                                        "scope", c.live() != null ? "live" : "scratch"))
                                .toList()));
            }
            if ("results".equals(action)) {
                return Reply.ok(render(selfTest.latest()
                        .orElseThrow(() -> new HubException.NotFound(
                                "The self-test has not run yet; run it with GET /api/tools-test."))));
            }
            if (action != null) {
                throw new HubException.InvalidRequest("action must be list or results (or omitted to run the checks).");
            }
            String tool = call.query("tool");
            return Reply.ok(render(tool == null ? selfTest.runAll("request") : selfTest.runOne(tool)));
        });
    }

    private static Map<String, Object> render(SelfTestRun run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", run.passed() + "/" + (run.passed() + run.failed()) + " tests passing");
        out.put("id", run.id());
        out.put("trigger", run.trigger());
        out.put("node", run.node());
        out.put("timestamp", run.startedAt());
        out.put("duration", run.durationMillis());
        out.put("passed", run.passed());
        out.put("failed", run.failed());
        out.put("skipped", run.skipped());
        out.put("passRate", run.passRate());
        out.put("results", run.results());
        return out;
    }
}
