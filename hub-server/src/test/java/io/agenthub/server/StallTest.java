package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.tck.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Stall detection: present but no progress for the threshold means an alert and a wake; progress clears it. */
class StallTest {
    @Test
    void a_present_agent_without_progress_is_alerted_woken_and_recovers_with_progress() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        BlockingQueue<String> wakes = new ArrayBlockingQueue<>(10);
        HttpServer wakeServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        wakeServer.createContext("/wake", exchange -> {
            wakes.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        wakeServer.start();
        String wakeUrl = "http://127.0.0.1:" + wakeServer.getAddress().getPort() + "/wake";
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String stuck = hub.agent("stuck", Map.of("wake-url", wakeUrl));
            String worker = hub.agent("worker");
            hub.post(stuck, "/api/heartbeat", Map.of("status", "busy", "currentTask", "refactor the parser"));
            hub.post(worker, "/api/heartbeat", Map.of("status", "busy", "currentTask", "write docs"));

            for (int minute = 1; minute <= 4; minute++) {
                clock.advance(Duration.ofMinutes(1));
                hub.post(stuck, "/api/heartbeat", Map.of("status", "busy"));
                hub.post(worker, "/api/memories", Map.of("category", "learning", "content", "note " + minute));
                hub.post(worker, "/api/chat", Map.of("channel", "work", "text", "docs part " + minute + " done"));
            }
            clock.advance(Duration.ofSeconds(59));
            assertThat(hub.hub().services.stalls.run().newlyStalled())
                    .as("4 min 59 s")
                    .isEmpty();

            clock.advance(Duration.ofSeconds(1));
            hub.post(stuck, "/api/heartbeat", Map.of("status", "busy"));
            var pass = hub.hub().services.stalls.run();
            assertThat(pass.newlyStalled()).containsExactly("stuck");
            assertThat(hub.hub().services.stalls.run().newlyStalled())
                    .as("alerted once")
                    .isEmpty();

            JsonNode inbox = hub.get(stuck, "/api/inbox?after=0").json().path("messages");
            assertThat(inbox.toString()).contains("Wake up", "no progress from you for 5 min");
            String wake = wakes.poll(10, TimeUnit.SECONDS);
            assertThat(wake).as("POST to the wake URL").isNotNull();
            JsonNode wakeBody = JsonCodec.MAPPER.readTree(wake);
            assertThat(wakeBody.path("agentId").asString()).isEqualTo("stuck");
            assertThat(wakeBody.path("reason").asString()).contains("no progress");
            assertThat(hub.get(worker, "/api/chat?channel=ops").raw().body())
                    .contains("stuck is stalled", "refactor the parser");
            JsonNode stalls = hub.get(worker, "/api/stalls").json();
            assertThat(stalls.path("stallAfterSeconds").asLong()).isEqualTo(300);
            assertThat(stalls.path("stalled").toString()).contains("stuck").doesNotContain("worker");
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=1000").raw().body())
                    .contains("agent.stalled");

            clock.advance(Duration.ofSeconds(30));
            hub.post(stuck, "/api/heartbeat", Map.of("status", "busy", "currentTask", "refactor the lexer instead"));
            assertThat(hub.get(worker, "/api/stalls").json().path("stalled").size())
                    .isZero();
            assertThat(hub.get(worker, "/api/chat?channel=ops").raw().body())
                    .contains("stuck is making progress again");
        } finally {
            wakeServer.stop(0);
        }
    }

    @Test
    void leases_checkpoints_and_usage_reports_count_as_progress_and_silent_agents_are_not_stalled() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "stall-after", "2m"))) {
            String leaser = hub.agent("leaser");
            String saver = hub.agent("saver");
            String reporter = hub.agent("reporter");
            String silent = hub.agent("silent");
            hub.post(silent, "/api/heartbeat", Map.of("status", "idle"));
            long token = hub.post(leaser, "/api/leases", Map.of("resource", "a.txt", "ttlSeconds", 3600))
                    .json()
                    .path("token")
                    .asLong();
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(90));
                hub.post(leaser, "/api/leases/renew", Map.of("resource", "a.txt", "token", token));
                hub.post(saver, "/api/checkpoints", Map.of("currentTask", "step " + i));
                hub.post(reporter, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 10));
                assertThat(hub.hub().services.stalls.run().newlyStalled())
                        .as("round %d", i)
                        .isEmpty();
            }
            // silent stopped calling at all: it goes stale (presence), which is not a stall.
            assertThat(hub.hub().services.reaper.run().stale()).containsExactly("silent");
            assertThat(hub.hub().services.stalls.run().stalled()).isEmpty();
        }
    }
}
