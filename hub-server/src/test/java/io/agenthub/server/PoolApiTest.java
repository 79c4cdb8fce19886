package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/pools and /api/scaling, the pool metrics in a real scrape, and the scale-down directive end to end. */
class PoolApiTest {
    private final MutableClock clock = MutableClock.atSomeFixedTime();

    @Test
    void pools_scaling_and_metrics_follow_the_queue_and_scale_down_reaches_idle_agents() throws Exception {
        try (TestHub hub = TestHub.withClock(clock, Map.of())) {
            String a = hub.agent("a1", Map.of("pool", "builders", "version", "v1"));
            String b = hub.agent("b1", Map.of("pool", "builders", "version", "v2"));
            hub.post(a, "/api/heartbeat", Map.of());
            hub.post(b, "/api/heartbeat", Map.of());
            for (int i = 0; i < 3; i++) {
                assertThat(hub.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "t" + i, "pool", "builders"))
                                .status())
                        .isEqualTo(201);
            }
            clock.advance(Duration.ofSeconds(10));
            TestHub.Response claim = hub.post(a, "/api/tasks/claim", Map.of());
            assertThat(claim.status()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(4));
            assertThat(hub.post(
                                    a,
                                    "/api/tasks/" + claim.json().path("id").asString() + "/complete",
                                    Map.of("token", claim.json().path("token").asLong(), "result", "ok"))
                            .status())
                    .isEqualTo(200);
            hub.post(a, "/api/tasks/claim", Map.of());

            JsonNode pool = hub.get(a, "/api/pools").json().path("pools").get(0);
            assertThat(pool.path("pool").asString()).isEqualTo("builders");
            assertThat(pool.path("online").asInt()).isEqualTo(2);
            assertThat(pool.path("busy").asInt()).isEqualTo(1);
            assertThat(pool.path("queueDepth").asInt()).isEqualTo(1);
            assertThat(pool.path("versions").get(0).path("version").asString()).isEqualTo("v1");
            assertThat(pool.path("versions").get(0).path("done").asInt()).isEqualTo(1);
            assertThat(pool.path("versions").get(0).path("meanTaskSeconds").asDouble())
                    .isEqualTo(4.0);

            JsonNode advice = hub.get(a, "/api/scaling").json().path("pools").get(0);
            assertThat(advice.path("action").asString()).isIn("add", "hold", "remove");
            assertThat(advice.path("signals").findValuesAsString("rule"))
                    .contains("utilisation", "queue_growing", "latency_rising", "low_volume", "budget", "maintenance");

            String scrape = hub.get(TestHub.ADMIN, "/metrics").raw().body();
            Set<String> names = new TreeSet<>();
            Matcher m = Pattern.compile("^(hub_[a-z_]+)", Pattern.MULTILINE).matcher(scrape);
            while (m.find()) {
                names.add(m.group(1));
            }
            assertThat(names)
                    .contains(
                            "hub_task_queue_depth",
                            "hub_task_oldest_age_seconds",
                            "hub_pool_utilization",
                            "hub_pool_agents_online",
                            "hub_pool_agents_busy",
                            "hub_task_claims_total",
                            "hub_task_completions_total",
                            "hub_task_duration_seconds_bucket",
                            "hub_scaling_recommendation");
            assertThat(scrape)
                    .contains("hub_task_queue_depth{pool=\"builders\"} 1.0")
                    .contains("hub_pool_utilization{pool=\"builders\"} 0.5")
                    .containsPattern(
                            "hub_task_duration_seconds_count\\{outcome=\"done\",pool=\"builders\",version=\"v1\"} 1");

            TestHub.Response down = hub.post(TestHub.ADMIN, "/api/scaling/builders/scale-down", Map.of("count", 2));
            assertThat(down.status()).isEqualTo(200);
            assertThat(down.json().path("agents").values())
                    .as("only the idle agent is chosen")
                    .extracting(JsonNode::asString)
                    .containsExactly("b1");
            TestHub.Response beat = hub.post(b, "/api/heartbeat", Map.of());
            assertThat(beat.header("Hub-Directive")).isEqualTo("checkpoint_exit");
            TestHub.Response none = hub.post(b, "/api/tasks/claim", Map.of());
            assertThat(none.status()).as("a retiring agent gets no task").isEqualTo(204);
            assertThat(none.header("Hub-Directive")).isEqualTo("checkpoint_exit");
            assertThat(hub.post(a, "/api/heartbeat", Map.of()).header("Hub-Directive"))
                    .isNull();
            assertThat(hub.get(b, "/api/inbox").raw().body()).contains("checkpoint");
            assertThat(hub.post(a, "/api/scaling/builders/scale-down", Map.of()).status())
                    .as("admins only")
                    .isEqualTo(403);
        }
    }
}
