package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The guide's dashboard table computed live, and an agent's trail for incident investigation. */
class StatusTraceApiTest {
    @Test
    void status_classifies_the_guides_metrics_with_its_thresholds() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String viewer = hub.viewer("dashboard");
            JsonNode empty = hub.get(viewer, "/api/status").json();
            assertThat(metric(empty, "agentCount").path("level").asString()).isEqualTo("critical");
            assertThat(metric(empty, "testPassRate").path("level").asString()).isEqualTo("unknown");

            String a = hub.agent("a1");
            String b = hub.agent("b1");
            hub.post(a, "/api/heartbeat", Map.of());
            assertThat(metric(hub.get(viewer, "/api/status").json(), "agentCount")
                            .path("level")
                            .asString())
                    .isEqualTo("warning");
            hub.post(b, "/api/heartbeat", Map.of());
            // 1 conflict in 9 acquisitions: 11%, critical; 1 failure in about 30 requests: about 3%, warning.
            for (int i = 0; i < 8; i++) {
                hub.post(a, "/api/leases", Map.of("resource", "r" + i));
            }
            hub.post(b, "/api/leases", Map.of("resource", "r0"));
            hub.post(a, "/api/errors", Map.of("title", "task failed"));
            for (int i = 0; i < 15; i++) {
                hub.get(a, "/api/leases");
            }
            JsonNode st = hub.get(viewer, "/api/status").json();
            assertThat(metric(st, "agentCount").path("level").asString()).isEqualTo("good");
            assertThat(metric(st, "coordinationConflicts").path("level").asString())
                    .isEqualTo("critical");
            assertThat(metric(st, "coordinationConflicts").path("basis").asString())
                    .isEqualTo("1 refused of 9 lease acquisitions");
            assertThat(metric(st, "errorRate").path("level").asString()).isEqualTo("warning");
            assertThat(metric(st, "avgResponse").path("level").asString()).isEqualTo("good");
            assertThat(st.path("overall").asString()).isEqualTo("critical");
            assertThat(st.path("tier").path("tier").asInt()).isEqualTo(1);

            hub.hub().selfTest.runOne("lease-acquire");
            hub.hub().selfTest.runAll("request");
            assertThat(metric(hub.get(viewer, "/api/status").json(), "testPassRate")
                            .path("level")
                            .asString())
                    .isEqualTo("good");

            clock.advance(Duration.ofMinutes(6));
            JsonNode later = hub.get(viewer, "/api/status").json();
            assertThat(metric(later, "coordinationConflicts").path("value").asDouble())
                    .as("the window moved on")
                    .isZero();
        }
    }

    @Test
    void overall_reflects_a_firing_alert_and_the_tier_in_rest_and_in_the_cli_alike() throws Exception {
        Map<String, String> settings =
                Map.of("reaper-interval", "1h", "alert-interval", "1h", "alert-daily-token-budget", "100");
        try (TestHub hub = new TestHub(settings, java.time.Clock.systemUTC())) {
            String a = hub.agent("a1");
            String b = hub.agent("b1");
            hub.post(a, "/api/heartbeat", Map.of());
            hub.post(b, "/api/heartbeat", Map.of());
            JsonNode healthy = hub.get(TestHub.ADMIN, "/api/status").json();
            assertThat(healthy.path("overall").asString()).isEqualTo("good");
            assertThat(healthy.path("overallReasons")).isEmpty();
            assertThat(cli(hub).out()).contains("overall  good\n");

            hub.post(a, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 1000, "outputTokens", 10));
            hub.hub().ops.evaluate();
            JsonNode firing = hub.get(TestHub.ADMIN, "/api/status").json();
            assertThat(firing.path("alertsFiring").toString()).contains("TokenBudgetExceeded");
            assertThat(firing.path("metrics").findValuesAsString("level"))
                    .as("every row of the table is good")
                    .containsOnly("good", "unknown");
            assertThat(firing.path("overall").asString()).isEqualTo("warning");
            assertThat(firing.path("overallReasons").toString()).contains("alert TokenBudgetExceeded firing: warning");
            assertThat(cli(hub).out()).contains("overall  warning (alert TokenBudgetExceeded firing: warning)\n");

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 4, "reason", "upgrade"));
            JsonNode maintenance = hub.get(TestHub.ADMIN, "/api/status").json();
            assertThat(maintenance.path("overall").asString()).isEqualTo("critical");
            assertThat(cli(hub).out())
                    .contains("overall  critical (alert TokenBudgetExceeded firing: warning; tier 4 (maintenance):"
                            + " critical)");
        }
    }

    private static CliRun cli(TestHub hub) {
        CliRun run = CliRun.of("status", "--url", hub.url(), "--token", TestHub.ADMIN);
        assertThat(run.code()).as(run.err()).isZero();
        return run;
    }

    @Test
    void trace_lists_one_agents_calls_leases_messages_and_errors_in_order() throws Exception {
        try (TestHub hub = new TestHub()) {
            String a = hub.agent("a1");
            String b = hub.agent("b1");
            hub.post(a, "/api/leases", Map.of("resource", "src/x.java"));
            hub.post(b, "/api/leases", Map.of("resource", "src/x.java"));
            hub.post(a, "/api/dm", Map.of("to", "b1", "text", "mine for now"));
            hub.post(a, "/api/errors", Map.of("title", "oops"));
            hub.get(a, "/api/leases");

            JsonNode trail =
                    hub.get(TestHub.ADMIN, "/api/trace?agentId=a1&since=1h").json();
            List<String> steps = new ArrayList<>();
            for (JsonNode e : trail.path("entries")) {
                steps.add(e.path("kind").asString() + " " + e.path("action").asString() + " "
                        + e.path("outcome").asString());
            }
            assertThat(steps)
                    .containsSubsequence(
                            "lease acquire granted token 1",
                            "message dm m1",
                            "error report error",
                            "call GET /api/leases 200");
            assertThat(steps)
                    .as("a call that a service describes gets one entry, not a second generic one")
                    .noneMatch(s -> s.startsWith("call POST"));
            assertThat(steps).noneMatch(s -> s.contains("refused"));
            JsonNode bTrail = hub.get(b, "/api/trace").json().path("entries");
            assertThat(bTrail.toString()).contains("refused: held by a1 (409 lease_held)");
            assertThat(hub.get(b, "/api/trace?agentId=a1").status()).isEqualTo(403);
            assertThat(hub.get(hub.viewer("ops"), "/api/trace?agentId=a1").status())
                    .isEqualTo(200);

            JsonNode newest =
                    hub.get(TestHub.ADMIN, "/api/trace?agentId=a1&limit=2").json();
            assertThat(actions(newest))
                    .as("the newest two, in time order")
                    .containsExactly("report", "GET /api/leases");
            JsonNode older = hub.get(
                            TestHub.ADMIN,
                            "/api/trace?agentId=a1&limit=2&before="
                                    + newest.path("prevCursor").asString())
                    .json();
            assertThat(actions(older)).containsExactly("acquire", "dm");
            assertThat(hub.get(TestHub.ADMIN, "/api/trace?agentId=a1&before=yesterday")
                            .status())
                    .isEqualTo(400);
        }
    }

    private static List<String> actions(JsonNode trail) {
        List<String> out = new ArrayList<>();
        trail.path("entries").forEach(e -> out.add(e.path("action").asString()));
        return out;
    }

    private static JsonNode metric(JsonNode status, String name) {
        for (JsonNode m : status.path("metrics")) {
            if (m.path("name").asString().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + name + " in " + status);
    }
}
