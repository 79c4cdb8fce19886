package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limits over HTTP and MCP: 429 with Retry-After and a sentence, per agent and kind, refilled with time. */
class RateLimitApiTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
    private TestHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = TestHub.withClock(
                clock,
                Map.of(
                        "rate-limit-chat", "6,3",
                        "rate-limit-reads", "60,5",
                        "rate-limit-mcp", "6,2",
                        "rate-limit-anonymous", "6,3",
                        "reaper-interval", "1h"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private TestHub.Response chat(String token, String text) {
        return hub.post(token, "/api/chat", Map.of("channel", "general", "text", text));
    }

    @Test
    void past_its_chat_burst_an_agent_gets_429_with_retry_after_and_a_sentence_while_others_post() {
        String alice = hub.agent("alice");
        String bob = hub.agent("bob");
        for (int i = 0; i < 3; i++) {
            assertThat(chat(alice, "hi " + i).status()).isEqualTo(201);
        }
        TestHub.Response limited = chat(alice, "one too many");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Content-Type").orElse(""))
                .contains("problem+json");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 10);
        assertThat(limited.json().path("code").asString()).isEqualTo("rate_limited");
        assertThat(limited.json().path("detail").asString())
                .contains("Agent alice", "6 a minute", "Retry after", "rate-limit-chat");
        assertThat(chat(bob, "not me").status()).isEqualTo(201);
        assertThat(hub.get(alice, "/api/chat?channel=general").status())
                .as("reads have their own bucket")
                .isEqualTo(200);

        clock.advance(Duration.ofSeconds(10));
        assertThat(chat(alice, "after a pause").status()).isEqualTo(201);
        assertThat(hub.get(TestHub.ADMIN, "/metrics").raw().body()).contains("hub_rate_limited_total{kind=\"chat\"}");
    }

    @Test
    void the_admin_is_not_limited() {
        for (int i = 0; i < 10; i++) {
            assertThat(hub.get(TestHub.ADMIN, "/api/agents").status()).isEqualTo(200);
        }
    }

    @Test
    void guessing_tokens_costs_the_client_address_and_then_gets_429() {
        for (int i = 0; i < 3; i++) {
            assertThat(hub.get("wrong-token-" + i, "/api/agents").status()).isEqualTo(401);
        }
        TestHub.Response limited = hub.get("wrong-token-x", "/api/agents");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().path("detail").asString()).contains("Client address", "rate-limit-anonymous");
        String alice = hub.agent("alice");
        assertThat(hub.get(alice, "/api/agents").status())
                .as("valid tokens pass")
                .isEqualTo(200);
    }

    @Test
    void guessing_tokens_on_metrics_costs_the_client_address_too() {
        // Found by RouteAccessTest: /metrics checks its token itself (it is a public route for the scrape token), and a
        // wrong token there cost nothing, so tokens could be guessed there without limit.
        for (int i = 0; i < 3; i++) {
            assertThat(hub.get("wrong-token-" + i, "/metrics").status()).isEqualTo(401);
        }
        assertThat(hub.get("wrong-token-x", "/metrics").status()).isEqualTo(429);
        assertThat(hub.get("wrong-token-y", "/api/agents").status())
                .as("one allowance for the address")
                .isEqualTo(429);
    }

    @Test
    void mcp_calls_take_from_the_agents_mcp_bucket() {
        String alice = hub.agent("alice");
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        int[] statuses = new int[3];
        for (int i = 0; i < 3; i++) {
            statuses[i] = hub.send(
                            alice,
                            HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json, text/event-stream")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)))
                    .status();
        }
        assertThat(statuses).containsExactly(200, 200, 429);
    }

    @Test
    void a_bad_rate_or_quota_setting_stops_the_start_naming_the_setting() {
        for (Map.Entry<String, String> bad : Map.of(
                        "rate-limit-chat", "fast",
                        "rate-limit-writes", "10,0",
                        "memory-quota-entries", "-1",
                        "join-key-labels", "web-key")
                .entrySet()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> new TestHub(Map.of(bad.getKey(), bad.getValue()), clock).close())
                    .as(bad.toString())
                    .hasStackTraceContaining(bad.getKey());
        }
    }
}
