package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape: access control and the meters operators rely on. */
class MetricsApiTest {
    @Test
    void usage_reported_over_rest_shows_in_the_scrape_as_tokens_by_kind_and_cost() throws Exception {
        try (TestHub hub = new TestHub()) {
            String dev = hub.agent("dev", Map.of("pool", "web"));
            String ops = hub.agent("ops");
            // Sonnet: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million tokens: $0.007875.
            assertThat(hub.post(
                                    dev,
                                    "/api/usage",
                                    Map.of(
                                            "model", "claude-sonnet-4-5",
                                            "inputTokens", 1000,
                                            "outputTokens", 200,
                                            "cacheReadTokens", 5000,
                                            "cacheWriteTokens", 100))
                            .status())
                    .isEqualTo(200);
            // Haiku: $1 in, $5 out per million tokens: $0.0025.
            assertThat(hub.post(
                                    ops,
                                    "/api/usage",
                                    Map.of("model", "claude-haiku-4-5", "inputTokens", 2000, "outputTokens", 100))
                            .status())
                    .isEqualTo(200);
            assertThat(hub.post(dev, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", -5))
                            .status())
                    .as("a refused report counts nothing")
                    .isEqualTo(400);

            Scrape scrape =
                    Scrape.parse(hub.get(TestHub.ADMIN, "/metrics").raw().body());
            assertThat(scrape.find("hub_tokens_total", Map.of()))
                    .extracting(s -> s.labels().get("kind") + "=" + s.value())
                    .containsExactlyInAnyOrder(
                            "input=3000.0", "output=300.0", "cache_read=5000.0", "cache_write=100.0");
            assertThat(scrape.find("hub_tokens_total", Map.of()))
                    .as("labelled by kind only")
                    .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("kind"));
            assertThat(scrape.value("hub_cost_usd_total", Map.of()))
                    .hasValueCloseTo(0.010375, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(scrape.value("hub_tokens_today", Map.of())).hasValue(8400.0);
        }
    }

    @Test
    void the_scrape_needs_a_token_and_shows_routes_leases_errors_tier_and_alerts() throws Exception {
        try (TestHub hub =
                new TestHub(Map.of("metrics-token", "scrape-token-0123456789abcdef"), java.time.Clock.systemUTC())) {
            String a = hub.agent("a1");
            String b = hub.agent("b1");
            hub.post(a, "/api/heartbeat", Map.of("status", "busy"));
            hub.post(a, "/api/leases", Map.of("resource", "x"));
            hub.post(b, "/api/leases", Map.of("resource", "x"));
            hub.post(a, "/api/chat", Map.of("channel", "general", "text", "hi"));
            hub.post(a, "/api/errors", Map.of("title", "boom", "level", "fatal"));
            assertThat(hub.get(a, "/api/inbox?wait=0.1").status()).isEqualTo(200);

            assertThat(hub.get(null, "/metrics").status()).isEqualTo(401);
            assertThat(hub.get("wrong", "/metrics").status()).isEqualTo(401);
            TestHub.Response scrape = hub.get("scrape-token-0123456789abcdef", "/metrics");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.header("Content-Type")).startsWith("text/plain; version=0.0.4");
            String text = scrape.raw().body();
            assertThat(text)
                    .contains(
                            "hub_http_requests_seconds_bucket{outcome=\"ok\",route=\"POST /api/leases\",status=\"201\",wait=\"false\",le=",
                            "hub_http_requests_seconds_count{outcome=\"client_error\",route=\"POST /api/leases\",status=\"409\",wait=\"false\"} 1",
                            "hub_http_requests_seconds_count{outcome=\"ok\",route=\"GET /api/inbox\",status=\"200\",wait=\"true\"} 1",
                            "hub_lease_acquisitions_total{outcome=\"granted\"} 1.0",
                            "hub_lease_acquisitions_total{outcome=\"refused\"} 1.0",
                            "hub_messages_total{kind=\"chat\"} 1.0",
                            "hub_errors_reported_total{level=\"fatal\"} 1.0",
                            "hub_operation_failures_total{source=\"reported\"} 1.0",
                            "hub_agents{presence=\"online\"} 2.0",
                            "hub_agents_active 2.0",
                            "hub_tier 1.0",
                            "hub_alert_firing{alert=\"HighErrorRate\",severity=\"warning\"} 0.0",
                            "hub_coordination_conflict_ratio 0.5",
                            "jvm_memory_used_bytes");
            assertThat(hub.get(hub.viewer("grafana"), "/metrics").status())
                    .as("any valid token may scrape")
                    .isEqualTo(200);
            assertThat(hub.get(a, "/metrics").status()).isEqualTo(200);
        }
    }
}
