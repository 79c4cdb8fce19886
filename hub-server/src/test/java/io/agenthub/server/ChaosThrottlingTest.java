package io.agenthub.server;

import io.agenthub.chaos.ChaosReport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite's LLM API throttling scenario: agents report provider 429s and 529s through the errors API and
 * usage reports; past {@code llm-throttle-rate} the hub backs off on its own (slow_down with {@code llm-backoff-delay}
 * on work and usage receipts, a notice in the ops channel) and recovers by itself {@code llm-backoff-hold} after the
 * reports stop.
 */
class ChaosThrottlingTest {
    private static final Duration HOLD = Duration.ofSeconds(3);

    @Test
    void throttling_reports_past_the_rate_make_the_hub_back_off_and_it_recovers_when_they_stop() throws Exception {
        try (TestHub hub = new TestHub(
                        Map.of(
                                "llm-throttle-rate", "6,3",
                                "llm-backoff-delay", "7s",
                                "llm-backoff-hold", HOLD.toSeconds() + "s",
                                "rate-limit-errors", "0",
                                "rate-limit-writes", "0"),
                        Clock.systemUTC());
                ChaosReport.Scenario sc = ChaosRun.report()
                        .scenario(
                                "LLM API throttling (429/529) and graceful degradation",
                                "Agents report provider throttling through POST /api/errors (tag status, or the"
                                        + " text) and POST /api/usage (status). Rule: llm-throttle-rate 6,3 (a"
                                        + " burst of 3, 6 a minute, fleet-wide); past it the hub tells every agent"
                                        + " slow_down with llm-backoff-delay 7 s, until llm-backoff-hold "
                                        + HOLD.toSeconds() + " s after the last report past the rate. Proves: no"
                                        + " degradation within the rate, degradation past it on work and usage"
                                        + " answers, and recovery on its own when the reports stop.")) {
            List<String> agents = List.of(hub.agent("llm-a"), hub.agent("llm-b"), hub.agent("llm-c"));
            sc.check("before any report, work carries no directive", directive(hub, agents.get(0)) == null, "");

            for (int i = 0; i < 3; i++) {
                report429(hub, agents.get(i));
            }
            sc.inject("3 reports of 429 (within the burst)");
            sc.check("within the rate nothing degrades", directive(hub, agents.get(0)) == null, "");

            report429(hub, agents.get(1));
            TestHub.Response usage = hub.post(
                    agents.get(2),
                    "/api/usage",
                    Map.of("model", "claude-sonnet-4-5", "inputTokens", 0, "outputTokens", 0, "status", 529));
            sc.inject("a 429 through errors and a 529 through a usage report (past the rate)");
            long degradedAt = System.nanoTime();
            TestHub.Response lease = acquire(hub, agents.get(0));
            sc.check(
                    "past the rate, work answers carry slow_down with the back-off delay",
                    "slow_down".equals(lease.header("Hub-Directive")) && "7".equals(lease.header("Hub-Delay-Seconds")),
                    lease.header("Hub-Directive") + " " + lease.header("Hub-Delay-Seconds"));
            TestHub.Response receipt = hub.post(
                    agents.get(1),
                    "/api/usage",
                    Map.of("model", "claude-sonnet-4-5", "inputTokens", 100, "outputTokens", 10));
            sc.check(
                    "usage receipts say slow_down with the reason and delay",
                    receipt.json().path("directive").asString().equalsIgnoreCase("slow_down")
                            && receipt.json().path("delaySeconds").asLong() == 7
                            && receipt.json().path("reason").asString().contains("429/529"),
                    receipt.raw().body());
            sc.check(
                    "the usage report with status 529 was answered normally",
                    usage.status() == 200,
                    Integer.toString(usage.status()));
            String budget = hub.get(TestHub.ADMIN, "/api/budget").raw().body();
            sc.check("GET /api/budget shows the back-off", budget.contains("\"backingOff\":true"), budget);
            String ops = hub.get(TestHub.ADMIN, "/api/chat?channel=ops&after=0&limit=100")
                    .raw()
                    .body();
            sc.check("the ops channel is told", ops.contains("LLM throttling past 6"), "");

            // Reports stop: the hub recovers by itself one hold after the last report past the rate.
            sc.inject("reports stop");
            String d;
            while ((d = directive(hub, agents.get(0))) != null
                    && System.nanoTime() - degradedAt < HOLD.plusSeconds(5).toNanos()) {
                Thread.sleep(100);
            }
            long recoveredMs = (System.nanoTime() - degradedAt) / 1_000_000;
            sc.figure("degraded for (ms)", recoveredMs);
            sc.check(
                    "the hub recovers by itself within the hold + 1.5 s",
                    d == null && recoveredMs <= HOLD.toMillis() + 1500,
                    recoveredMs + " ms");
            String after = hub.get(TestHub.ADMIN, "/api/chat?channel=ops&after=0&limit=100")
                    .raw()
                    .body();
            sc.check("the recovery is announced", after.contains("back-off is over"), "");
        }
    }

    private static void report429(TestHub hub, String agent) {
        TestHub.Response r = hub.post(
                agent,
                "/api/errors",
                Map.of(
                        "title", "Anthropic API: 429 Too Many Requests",
                        "level", "warning",
                        "tags", Map.of("status", "429", "model", "claude-sonnet-4-5")));
        if (r.status() != 201) {
            throw new IllegalStateException("error report failed: " + r.raw().body());
        }
    }

    private static TestHub.Response acquire(TestHub hub, String agent) {
        TestHub.Response r = hub.post(agent, "/api/leases", Map.of("resource", "throttle/probe", "ttlSeconds", 5));
        if (r.status() == 201 || r.status() == 200) {
            hub.post(
                    agent,
                    "/api/leases/release",
                    Map.of(
                            "resource",
                            "throttle/probe",
                            "token",
                            r.json().path("token").asLong()));
        }
        return r;
    }

    private static String directive(TestHub hub, String agent) {
        return acquire(hub, agent).header("Hub-Directive");
    }
}
