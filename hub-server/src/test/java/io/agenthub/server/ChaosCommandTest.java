package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code hub chaos} and {@code POST /api/chaos}: each scenario's checks hold on a healthy hub, in scratch only. */
class ChaosCommandTest {
    @Test
    void every_scenario_holds_on_a_healthy_hub_and_leaves_nothing_behind() throws Exception {
        try (TestHub hub = new TestHub(Map.of("rate-limit-chat", "0"), java.time.Clock.systemUTC())) {
            for (String scenario : new String[] {"agent-shutdown", "throttling", "lease-contention"}) {
                TestHub.Response r = hub.post(
                        TestHub.ADMIN, "/api/chaos", Map.of("scenario", scenario, "durationSeconds", 1, "agents", 6));
                assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
                JsonNode body = r.json();
                assertThat(body.path("ok").asBoolean()).as(body.toString()).isTrue();
                assertThat(body.path("checks").size()).isGreaterThanOrEqualTo(2);
            }
            assertThat(hub.get(TestHub.ADMIN, "/api/agents").raw().body()).doesNotContain("chaos-");
            assertThat(hub.get(TestHub.ADMIN, "/api/chat?channel=ops&limit=100")
                            .raw()
                            .body())
                    .contains("Chaos agent-shutdown", "Chaos throttling", "Chaos lease-contention");
            assertThat(hub.post(TestHub.ADMIN, "/api/chaos", Map.of("scenario", "hub-kill"))
                            .status())
                    .isEqualTo(400);
        }
    }

    @Test
    void hub_chaos_prints_the_checks_and_names_the_ci_only_scenarios() throws Exception {
        try (TestHub hub = new TestHub()) {
            String out = cli(
                    "chaos",
                    "lease-contention",
                    "--duration",
                    "1s",
                    "--agents",
                    "4",
                    "--url",
                    hub.url(),
                    "--token",
                    TestHub.ADMIN);
            assertThat(out).contains("no-overlapping-grants", "All checks hold.");
            assertThat(cli("chaos", "partition")).contains("runs only in the CI chaos suite");
        }
    }

    private static String cli(String... args) {
        return DrillTest.cli(args);
    }
}
