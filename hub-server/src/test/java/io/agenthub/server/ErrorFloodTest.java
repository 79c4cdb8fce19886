package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One agent reporting failures in a loop neither degrades the fleet nor fills the error log; many agents failing do. */
class ErrorFloodTest {

    private static List<String> fleet(TestHub hub, int n) {
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            tokens.add(hub.agent("agent-" + i));
        }
        return tokens;
    }

    @Test
    void one_agent_flooding_fatal_errors_does_not_change_the_tier() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "alert-interval", "1h"))) {
            List<String> agents = fleet(hub, 4);
            for (int m = 0; m <= 10; m++) {
                for (int i = 0; i < 100; i++) {
                    hub.post(agents.get(0), "/api/errors", Map.of("title", "crash loop", "level", "fatal"));
                }
                for (String a : agents) {
                    for (int i = 0; i < 10; i++) {
                        hub.post(a, "/api/heartbeat", Map.of());
                    }
                }
                hub.hub().ops.evaluate();
                clock.advance(Duration.ofMinutes(1));
            }
            hub.hub().ops.evaluate();
            assertThat(hub.get(agents.get(1), "/api/tier").json().path("tier").asInt())
                    .isEqualTo(1);
            assertThat(hub.get(TestHub.ADMIN, "/api/alerts").json().path("firing"))
                    .isEmpty();
            // The raw rate on the status table still shows what happened.
            assertThat(hub.get(TestHub.ADMIN, "/api/errors?action=overview")
                            .json()
                            .path("errorRate")
                            .path("rate")
                            .asDouble())
                    .isGreaterThan(0.5);
        }
    }

    @Test
    void many_agents_failing_together_still_degrade_the_tier() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "alert-interval", "1h"))) {
            List<String> agents = fleet(hub, 5);
            for (int m = 0; m <= 10; m++) {
                for (String a : agents) {
                    hub.post(a, "/api/errors", Map.of("title", "dependency down", "level", "fatal"));
                    hub.post(a, "/api/heartbeat", Map.of());
                }
                hub.hub().ops.evaluate();
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(hub.get(agents.get(0), "/api/tier").json().path("tier").asInt())
                    .isEqualTo(2);
            assertThat(hub.get(agents.get(0), "/api/tier").json().path("setBy").asString())
                    .isEqualTo("rule:ErrorStorm");
        }
    }

    @Test
    void error_reports_past_the_per_agent_limit_get_a_429_with_retry_after() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestHub hub = TestHub.withClock(
                clock, Map.of("reaper-interval", "1h", "alert-interval", "1h", "rate-limit-errors", "120,60"))) {
            List<String> agents = fleet(hub, 2);
            for (int i = 0; i < 60; i++) {
                assertThat(hub.post(agents.get(0), "/api/errors", Map.of("title", "loop " + i, "level", "fatal"))
                                .status())
                        .as("report %d", i)
                        .isEqualTo(201);
            }
            TestHub.Response refused =
                    hub.post(agents.get(0), "/api/errors", Map.of("title", "one too many", "level", "fatal"));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.json().path("detail").asString()).contains("rate-limit-errors");
            // Others are not affected, and the agent may report again once its bucket refills.
            assertThat(hub.post(agents.get(1), "/api/errors", Map.of("title", "mine", "level", "error"))
                            .status())
                    .isEqualTo(201);
            clock.advance(Duration.ofSeconds(1));
            assertThat(hub.post(agents.get(0), "/api/errors", Map.of("title", "later", "level", "error"))
                            .status())
                    .isEqualTo(201);
        }
    }
}
