package io.agenthub.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/drills}: the weekly coordination drill, and {@code /api/chaos}: chaos scenarios for operators. Running
 * either is for admins; the drill's history is readable by every token.
 */
public final class Drills {
    /** A drill can take longer than an ordinary call: three agents go through a dozen steps on the hub's store. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private final Transport t;

    /**
     * One step of a drill.
     *
     * @param status {@code pass}, {@code fail} or {@code skip}
     * @param budgetMillis the latency it should stay under; a slower pass scores half
     */
    public record Step(String name, String status, long latencyMillis, long budgetMillis, int points, String message) {}

    /**
     * One drill run.
     *
     * @param score 0 to 100
     * @param ok true when no step failed
     */
    public record Run(
            String id,
            boolean ok,
            int score,
            String summary,
            String trigger,
            String node,
            Instant startedAt,
            long durationMillis,
            int passed,
            int failed,
            int skipped,
            List<Step> steps) {}

    record History(List<Run> drills) {}

    record RunBody(boolean liveTier) {}

    record ChaosBody(String scenario, Integer durationSeconds, Integer agents) {}

    Drills(Transport t) {
        this.t = t;
    }

    /**
     * Runs the coordination drill now (admin) and returns its scored report.
     *
     * @param liveTier also change the live hub's tier and back, which the whole fleet sees for a moment
     */
    public Run run(boolean liveTier) {
        return t.call("POST", "/api/drills", new RunBody(liveTier), RUN_TIMEOUT).as(Run.class);
    }

    /**
     * Runs a chaos scenario ({@code agent-shutdown}, {@code throttling}, {@code lease-contention}) in a scratch
     * namespace of the hub (admin) and returns its checks and timeline: {@code {id, scenario, ok, durationMillis,
     * checks: [{name, status, message}], timeline: [...]}}. Null arguments take the defaults (60 s, 10 agents).
     */
    public JsonNode chaos(String scenario, Integer durationSeconds, Integer agents) {
        Duration timeout = RUN_TIMEOUT.plusSeconds(durationSeconds == null ? 60 : durationSeconds);
        return t.call("POST", "/api/chaos", new ChaosBody(scenario, durationSeconds, agents), timeout)
                .as(JsonNode.class);
    }

    /** Stored runs, newest first, at most {@code limit} (1 to 52). */
    public List<Run> history(int limit) {
        return t.get(Transport.query("/api/drills", "limit", limit), History.class)
                .drills();
    }
}
