package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.alert.AlertEvent;
import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules on a real hub, time moved by the test: firing and resolving reach group chat and webhooks (generic
 * and Slack) once each, with retries; the guide's error-rate rule holds for 5 minutes first.
 */
class AlertsApiTest {
    @Test
    void all_agents_down_fires_once_to_chat_and_webhooks_and_resolves() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            hooks.failFirst(1);
            Map<String, String> settings = Map.of(
                    "reaper-interval", "1h",
                    "alert-interval", "1h",
                    "alert-webhook-backoff", "10ms",
                    "alert-webhooks", hooks.url("/generic") + ",slack:" + hooks.url("/slack"));
            try (TestHub hub = TestHub.withClock(clock, settings)) {
                String a = hub.agent("a1");
                hub.post(a, "/api/heartbeat", Map.of("status", "busy"));
                assertThat(hub.hub().ops.evaluate()).isEmpty();

                clock.advance(Duration.ofMinutes(16));
                hub.hub().services.reaper.run();
                List<AlertEvent> fired = hub.hub().ops.evaluate();
                assertThat(fired).extracting(AlertEvent::rule).contains("AllAgentsDown");
                for (int i = 0; i < 3; i++) {
                    assertThat(hub.hub().ops.evaluate())
                            .as("no repeats while firing")
                            .isEmpty();
                }
                List<String> delivered = hooks.await(2, Duration.ofSeconds(10));
                String generic = delivered.stream()
                        .filter(d -> d.startsWith("/generic"))
                        .findFirst()
                        .orElseThrow();
                String slack = delivered.stream()
                        .filter(d -> d.startsWith("/slack"))
                        .findFirst()
                        .orElseThrow();
                assertThat(generic)
                        .contains(
                                "\"alert\":\"AllAgentsDown\"",
                                "\"status\":\"firing\"",
                                "\"severity\":\"critical\"",
                                "0 of 1 registered agents online");
                assertThat(slack).contains("\"text\":", "[FIRING critical] AllAgentsDown");
                assertThat(hooks.calls()).as("one failed attempt retried").isEqualTo(3);

                JsonNode alerts = hub.get(a, "/api/alerts").json();
                assertThat(alerts.path("firing").get(0).path("name").asString()).isEqualTo("AllAgentsDown");
                assertThat(alerts.path("history").size()).isEqualTo(1);
                assertThat(alerts.path("webhooks").toString()).contains("\"delivered\":1", "\"retries\":1");
                assertThat(hub.get(a, "/api/chat?channel=ops").raw().body())
                        .contains("[FIRING critical] AllAgentsDown: 0 of 1 registered agents online");

                clock.advance(Duration.ofMinutes(2));
                hub.post(a, "/api/heartbeat", Map.of());
                assertThat(hub.hub().ops.evaluate())
                        .singleElement()
                        .extracting(AlertEvent::kind)
                        .isEqualTo(AlertEvent.Kind.RESOLVED);
                List<String> resolved = hooks.await(2, Duration.ofSeconds(10));
                assertThat(resolved).allMatch(d -> d.contains("resolved") || d.contains("RESOLVED"));
                assertThat(hub.get(a, "/api/chat?channel=ops").raw().body())
                        .contains(
                                "[RESOLVED critical] AllAgentsDown resolved after 2m: 1 of 1 registered agents online");
                assertThat(hooks.drain()).isEmpty();
            }
        }
    }

    @Test
    void high_error_rate_fires_after_holding_five_minutes_and_an_error_storm_degrades_the_tier() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "alert-interval", "1h"))) {
            String a = hub.agent("a1");
            // Rules weigh each reporter's failures to at most a third of their threshold, so five agents take turns.
            List<String> fleet = new java.util.ArrayList<>(List.of(a));
            for (int i = 2; i <= 5; i++) {
                fleet.add(hub.agent("a" + i));
            }
            int[] turn = {0};
            // 10 heartbeats and 1 failure report per minute: 1 of 11 requests failed, about 9%.
            Runnable minute = () -> {
                for (int i = 0; i < 10; i++) {
                    hub.post(a, "/api/heartbeat", Map.of());
                }
                hub.post(fleet.get(turn[0]++ % 5), "/api/errors", Map.of("title", "task failed", "level", "error"));
            };
            minute.run();
            assertThat(hub.hub().ops.evaluate()).isEmpty();
            JsonNode pending = rule(hub, "HighErrorRate");
            assertThat(pending.path("state").asString()).isEqualTo("pending");
            for (int m = 1; m <= 4; m++) {
                clock.advance(Duration.ofMinutes(1));
                minute.run();
                assertThat(hub.hub().ops.evaluate()).as("minute %d", m).isEmpty();
            }
            clock.advance(Duration.ofMinutes(1));
            minute.run();
            assertThat(hub.hub().ops.evaluate()).extracting(AlertEvent::rule).containsExactly("HighErrorRate");
            assertThat(rule(hub, "HighErrorRate").path("summary").asString())
                    // 5 failures in about 55 requests (one more when the minute boundary of the window takes it in).
                    .matches("error rate (8\\.\\d|9\\.\\d)% \\(5 failures in \\d+ requests over 5 min\\)");
            assertThat(hub.get(a, "/api/tier").json().path("tier").asInt()).isEqualTo(1);

            // An error storm across the fleet: half the requests fail; once the window is above 25% it takes five more
            // minutes.
            for (int m = 0; m <= 8; m++) {
                for (int i = 0; i < 5; i++) {
                    hub.post(fleet.get(i), "/api/errors", Map.of("title", "storm " + i, "level", "fatal"));
                    hub.post(fleet.get(i), "/api/heartbeat", Map.of());
                }
                hub.hub().ops.evaluate();
                clock.advance(Duration.ofMinutes(1));
            }
            JsonNode tier = hub.get(a, "/api/tier").json();
            assertThat(tier.path("tier").asInt()).isEqualTo(2);
            assertThat(tier.path("setBy").asString()).isEqualTo("rule:ErrorStorm");
            assertThat(tier.path("baseline").asInt()).isEqualTo(1);
            assertThat(hub.post(a, "/api/leases", Map.of("resource", "x")).status())
                    .isEqualTo(503);

            clock.advance(Duration.ofMinutes(10));
            hub.hub().ops.evaluate();
            assertThat(hub.get(a, "/api/tier").json().path("tier").asInt()).isEqualTo(1);
            assertThat(hub.post(a, "/api/leases", Map.of("resource", "x")).status())
                    .isEqualTo(201);
            assertThat(hub.get(a, "/api/chat?channel=ops&limit=100").raw().body())
                    .contains("set by rule:ErrorStorm", "[RESOLVED critical] ErrorStorm");
        }
    }

    @Test
    void disabled_rules_are_not_evaluated_and_unknown_names_are_refused() throws Exception {
        try (TestHub hub =
                new TestHub(Map.of("alert-disabled", "AllAgentsDown,ErrorStorm"), java.time.Clock.systemUTC())) {
            JsonNode rules = hub.get(TestHub.ADMIN, "/api/alerts").json().path("rules");
            assertThat(rules.toString())
                    .doesNotContain("AllAgentsDown", "ErrorStorm")
                    .contains("HighErrorRate");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TestHub(Map.of("alert-disabled", "Nope"), java.time.Clock.systemUTC()))
                .hasMessageContaining("unknown rule 'Nope'");
    }

    private static JsonNode rule(TestHub hub, String name) {
        for (JsonNode r : hub.get(TestHub.ADMIN, "/api/alerts").json().path("rules")) {
            if (r.path("name").asString().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + name);
    }
}
