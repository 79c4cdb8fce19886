package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.rollout.Rollout;
import io.agenthub.rollout.RolloutService;
import io.agenthub.rollout.RolloutStore;
import io.agenthub.server.config.HubConfig;
import io.agenthub.tier.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/rollouts}: canary and blue-green rollouts of agent versions per pool, for admins. Reading shows each
 * rollout's stage, the measured health of both sides in the current step and the decision log (dashboard-ready).
 * Pausing and rolling back are upkeep, allowed in every tier, since they are what incident response needs.
 */
public final class RolloutRoutes {
    private final RolloutService rollouts;

    record CanaryBody(
            String version, String baseline, String steps, String hold, String maxErrorRate, String maxLatencyRatio) {}

    record BlueGreenBody(String green, String blue) {}

    record SwitchBody(Boolean force) {}

    record ReasonBody(String reason) {}

    public RolloutRoutes(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    public void register(Router r) {
        r.get("/api/rollouts", Access.READ, call -> {
            List<Map<String, Object>> out = new ArrayList<>();
            rollouts.list().forEach(v -> out.add(view(v)));
            return Reply.ok(Map.of("rollouts", out));
        });
        r.get("/api/rollouts/{pool}", Access.READ, call -> Reply.ok(view(rollouts.get(call.path("pool")))));
        r.post("/api/rollouts/{pool}/canary", Access.ADMIN, call -> {
            CanaryBody b = call.body(CanaryBody.class);
            return Reply.created(view(rollouts.canary(
                    call.principal(),
                    call.path("pool"),
                    new RolloutService.CanaryRequest(
                            b.version(),
                            b.baseline(),
                            steps(b.steps()),
                            hold(b.hold()),
                            rate(b.maxErrorRate()),
                            number("maxLatencyRatio", b.maxLatencyRatio())))));
        });
        r.post("/api/rollouts/{pool}/bluegreen", Access.ADMIN, call -> {
            BlueGreenBody b = call.body(BlueGreenBody.class);
            return Reply.created(view(rollouts.blueGreen(call.principal(), call.path("pool"), b.green(), b.blue())));
        });
        r.post(
                "/api/rollouts/{pool}/verify",
                Access.ADMIN,
                call -> Reply.ok(view(rollouts.verify(call.principal(), call.path("pool")))));
        r.post("/api/rollouts/{pool}/switch", Access.ADMIN, call -> {
            SwitchBody b = call.bodyOr(SwitchBody.class, new SwitchBody(false));
            boolean force = b.force() != null && b.force();
            return Reply.ok(view(rollouts.switchToGreen(call.principal(), call.path("pool"), force)));
        });
        r.post(
                "/api/rollouts/{pool}/pause",
                Access.ADMIN,
                Work.UPKEEP,
                call -> Reply.ok(view(rollouts.pause(call.principal(), call.path("pool")))));
        r.post(
                "/api/rollouts/{pool}/resume",
                Access.ADMIN,
                call -> Reply.ok(view(rollouts.resume(call.principal(), call.path("pool")))));
        r.post(
                "/api/rollouts/{pool}/promote",
                Access.ADMIN,
                call -> Reply.ok(view(rollouts.promote(call.principal(), call.path("pool")))));
        r.delete("/api/rollouts/{pool}", Access.ADMIN, call -> {
            rollouts.end(call.principal(), call.path("pool"));
            return Reply.ok(Map.of("ended", call.path("pool")));
        });
        r.post("/api/rollouts/{pool}/rollback", Access.ADMIN, Work.UPKEEP, call -> {
            ReasonBody b = call.bodyOr(ReasonBody.class, new ReasonBody(null));
            return Reply.ok(view(rollouts.rollback(call.principal(), call.path("pool"), b.reason())));
        });
    }

    /** A rollout as the dashboard and the CLI show it. */
    static Map<String, Object> view(Rollout r) {
        return view(new RolloutService.View(r, null, null));
    }

    static Map<String, Object> view(RolloutService.View v) {
        Rollout r = v.rollout();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pool", r.pool());
        out.put("strategy", r.strategy().label());
        out.put("stage", r.stage().label());
        out.put("baseline", r.baseline());
        out.put("candidate", r.candidate());
        out.put("weight", r.weight());
        out.put("steps", r.steps());
        out.put("step", r.step());
        out.put("holdSeconds", r.hold().toSeconds());
        out.put("maxErrorRate", r.maxErrorRate());
        out.put("maxLatencyRatio", r.maxLatencyRatio());
        out.put("stepStartedAt", r.windowStart());
        out.put("nextEvaluation", v.nextEvaluation());
        out.put("verification", r.verification());
        out.put("startedBy", r.startedBy());
        out.put("createdAt", r.createdAt());
        out.put("updatedAt", r.updatedAt());
        out.put("revision", r.revision());
        if (v.health() != null) {
            out.put(
                    "health",
                    Map.of(
                            "baseline",
                            side(v.health().baseline()),
                            "candidate",
                            side(v.health().candidate())));
        }
        out.put("log", r.log());
        return out;
    }

    private static Map<String, Object> side(RolloutStore.Counts c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("completed", c.completed());
        out.put("failed", c.failed());
        out.put("errors", c.errors());
        out.put("errorRate", c.errorRate());
        out.put("meanDurationMs", Math.round(c.meanDurationMs()));
        return out;
    }

    /** {@code 10,50,100}, or null. */
    static List<Integer> steps(String steps) {
        if (steps == null || steps.isBlank()) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String s : steps.split(",")) {
            try {
                out.add(Integer.parseInt(s.strip().replace("%", "")));
            } catch (NumberFormatException e) {
                throw new HubException.InvalidRequest(
                        "steps must be percentages separated by commas, e.g. 10,50,100; got '" + steps + "'.",
                        Map.of("field", "steps"));
            }
        }
        return out;
    }

    /** {@code 24h}, {@code 30m}, ISO-8601, or null. */
    static Duration hold(String hold) {
        if (hold == null || hold.isBlank()) {
            return null;
        }
        try {
            return HubConfig.parseDuration(hold);
        } catch (IllegalArgumentException e) {
            throw new HubException.InvalidRequest(
                    "hold must be a duration such as 30m, 24h or 2d; got '" + hold + "'.", Map.of("field", "hold"));
        }
    }

    /** {@code 5%} or {@code 0.05}, or null. */
    static Double rate(String rate) {
        if (rate == null || rate.isBlank()) {
            return null;
        }
        String v = rate.strip();
        return v.endsWith("%")
                ? number("maxErrorRate", v.substring(0, v.length() - 1)) / 100
                : number("maxErrorRate", v);
    }

    static Double number(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new HubException.InvalidRequest(
                    field + " must be a number; got '" + value + "'.", Map.of("field", field));
        }
    }
}
