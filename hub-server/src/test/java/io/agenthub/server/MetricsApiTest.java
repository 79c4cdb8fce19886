package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape: access control and the meters operators rely on. */
class MetricsApiTest {
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
