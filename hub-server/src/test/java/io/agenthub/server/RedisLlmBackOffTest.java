package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two hub nodes on one Redis share the LLM throttling back-off: reports arriving on both count together, the back-off a
 * report on one node starts is told to agents on the other, and it is announced once.
 */
class RedisLlmBackOffTest {
    private static final Map<String, Object> THROTTLED =
            Map.of("model", "claude-haiku-4-5", "inputTokens", 0, "outputTokens", 0, "status", 429);
    private static final Map<String, Object> PLAIN =
            Map.of("model", "claude-haiku-4-5", "inputTokens", 10, "outputTokens", 1);

    @Test
    void reports_on_two_nodes_count_together_and_the_back_off_is_fleet_wide() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings = new HashMap<>(Map.of(
                "redis-url", redis.url(),
                "redis-prefix", redis.freshPrefix(),
                "redis-timeout", "3s",
                "llm-throttle-rate", "6,2",
                "llm-backoff-delay", "9s",
                "llm-backoff-hold", "1m",
                "rate-limit-writes", "0"));
        try (TestHub a = new TestHub(settings, Clock.systemUTC());
                TestHub b = new TestHub(settings, Clock.systemUTC())) {
            String onA = a.agent("agent-on-a");
            String onB = b.agent("agent-on-b");
            assertThat(directive(a.post(onA, "/api/usage", THROTTLED))).isEqualTo("ok");
            assertThat(directive(b.post(onB, "/api/usage", THROTTLED))).isEqualTo("ok");
            // The third report (the burst is 2, fleet-wide) comes to node A: past the rate.
            assertThat(directive(a.post(onA, "/api/usage", THROTTLED))).isEqualTo("slow_down");

            // Node B tells its agent within a second (it reads the shared hold at most once a second).
            String seenOnB = "";
            for (int i = 0; i < 40 && !seenOnB.equals("slow_down"); i++) {
                seenOnB = directive(b.post(onB, "/api/usage", PLAIN));
                Thread.sleep(100);
            }
            assertThat(seenOnB).as("node B tells its agent to slow down").isEqualTo("slow_down");

            // A report past the rate on node B extends the same back-off: both nodes count it.
            b.post(onB, "/api/usage", THROTTLED);
            Thread.sleep(1_100);
            assertThat(a.get(TestHub.ADMIN, "/api/budget")
                            .json()
                            .path("llmThrottling")
                            .path("reportsPastRate")
                            .asLong())
                    .isEqualTo(2);
            String ops = b.get(TestHub.ADMIN, "/api/chat?channel=ops&after=0&limit=100")
                    .raw()
                    .body();
            assertThat(ops.split("LLM throttling past 6", -1))
                    .as("announced once, by one node")
                    .hasSize(2);
        }
    }

    private static String directive(TestHub.Response r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().path("directive").asString();
    }
}
