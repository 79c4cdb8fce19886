package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The guide's chaos case "random agent shutdown: verify handoff works": an agent process is killed mid-task, the reaper
 * turns its leases into a handoff to its pool, and a survivor takes the work over with new fencing tokens.
 */
class ChaosTest {
    @Test
    void killing_an_agent_process_mid_task_hands_its_leases_to_its_pool() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T14:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String workerToken = hub.agent("worker", Map.of("pool", "billing"));
            String survivor = hub.agent("survivor", Map.of("pool", "billing"));
            hub.post(survivor, "/api/heartbeat", Map.of("status", "idle"));

            Process worker = startAgent(hub.url(), workerToken);
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).as("the worker claimed its work").isEqualTo("READY");
            } finally {
                worker.destroyForcibly();
                assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            JsonNode held =
                    hub.get(survivor, "/api/leases?holder=worker").json().path("leases");
            assertThat(held.size()).isEqualTo(2);
            long oldToken = held.get(0).path("token").asLong();
            String oldResource = held.get(0).path("resource").asString();

            // Silent for stale (3 x 60 s) plus the grace (2 min); the survivor keeps calling.
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofMinutes(1));
                hub.post(survivor, "/api/heartbeat", Map.of());
            }
            var pass = hub.hub().services.reaper.run();
            assertThat(pass.released()).isEmpty();
            assertThat(pass.handedOver())
                    .extracting(l -> l.resource())
                    .containsExactly("src/billing/", "task:billing-v2");
            assertThat(hub.hub().services.reaper.run().handedOver())
                    .as("no second handoff")
                    .hasSize(2);

            JsonNode mine = hub.get(survivor, "/api/handoffs?mine=true").json().path("handoffs");
            assertThat(mine.size()).isEqualTo(1);
            JsonNode h = mine.get(0);
            assertThat(h.path("kind").asString()).isEqualTo("reaped");
            assertThat(h.path("from").asString()).isEqualTo("worker");
            assertThat(h.path("to").asString()).isEqualTo("pool:billing");
            assertThat(h.path("title").asString()).contains("port the billing API");
            assertThat(h.path("nextSteps").toString()).contains("port refunds");
            assertThat(hub.get(survivor, "/api/inbox?after=0").raw().body())
                    .contains(h.path("id").asString());
            assertThat(hub.get(survivor, "/api/chat?channel=ops").raw().body())
                    .contains("worker went silent holding 2 lease(s)");
            assertThat(hub.get(survivor, "/api/hot-start?format=markdown").raw().body())
                    .contains("Handoffs for you", h.path("id").asString(), "invoices done");

            // The leases stay owned by the silent worker until someone accepts or their own TTL (10 min) runs out.
            clock.advance(Duration.ofMinutes(3));
            hub.post(survivor, "/api/heartbeat", Map.of());
            hub.hub().services.reaper.run();
            assertThat(hub.get(survivor, "/api/leases?holder=worker")
                            .json()
                            .path("leases")
                            .size())
                    .isEqualTo(2);
            TestHub.Response stolen = hub.post(survivor, "/api/leases", Map.of("resource", "src/billing/refunds.ts"));
            assertThat(stolen.status()).isEqualTo(409);

            JsonNode accepted = hub.post(
                            survivor, "/api/handoffs/" + h.path("id").asString() + "/accept", Map.of())
                    .json();
            assertThat(accepted.path("leases").size()).isEqualTo(2);
            accepted.path("leases").forEach(l -> {
                assertThat(l.path("holder").asString()).isEqualTo("survivor");
                assertThat(l.path("token").asLong()).isGreaterThan(oldToken);
            });
            assertThat(hub.post(workerToken, "/api/leases/release", Map.of("resource", oldResource, "token", oldToken))
                            .status())
                    .as("a restarted worker with its old token is fenced off")
                    .isEqualTo(409);
            assertThat(hub.hub().services.reaper.run().handedOver()).isEmpty();
        }
    }

    private static Process startAgent(String url, String token) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(List.of(
                        java, "-cp", System.getProperty("java.class.path"), ScriptedAgent.class.getName(), url, token))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
