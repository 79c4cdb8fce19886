package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.auth.Principal;
import io.agenthub.server.services.Services;
import io.agenthub.tck.MutableClock;
import io.agenthub.trace.TraceEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The side effects of storing a message and of recording a usage report, as the hub wires them: each is observed once,
 * after the store's atomic step, in the metrics, the dashboard's counters and the author's trail, whichever path wrote
 * it (an agent's post or direct message, a hub notice).
 */
class MessageUsageSideEffectsTest {
    // claude-haiku-4-5 costs $1 per million input tokens.
    private static final Map<String, Object> ONE_DOLLAR =
            Map.of("model", "claude-haiku-4-5", "inputTokens", 1_000_000, "outputTokens", 10);

    @Test
    void every_stored_message_and_recorded_model_call_is_observed_once() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String dev = hub.agent("dev");
            hub.agent("qa");
            Services services = hub.hub().services;
            String before = services.metrics.scrape();

            assertThat(hub.post(dev, "/api/chat", Map.of("channel", "general", "text", "hello"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(dev, "/api/dm", Map.of("to", "qa", "text", "psst"))
                            .status())
                    .isEqualTo(201);
            services.messages.notice("qa", "a notice from the hub");
            assertThat(hub.post(dev, "/api/usage", ONE_DOLLAR).status()).isEqualTo(200);

            String after = services.metrics.scrape();
            assertThat(delta(before, after, "hub_messages_total", "kind=\"chat\""))
                    .isEqualTo(1.0);
            assertThat(delta(before, after, "hub_messages_total", "kind=\"dm\""))
                    .isEqualTo(1.0);
            assertThat(delta(before, after, "hub_messages_total", "kind=\"notice\""))
                    .isEqualTo(1.0);
            assertThat(delta(before, after, "hub_tokens_total", "kind=\"input\""))
                    .isEqualTo(1_000_000.0);
            assertThat(delta(before, after, "hub_tokens_total", "kind=\"output\""))
                    .isEqualTo(10.0);
            assertThat(delta(before, after, "hub_cost_usd_total", "")).isGreaterThan(0.99);

            services.counters.flush();
            services.traces.flush();
            Map<String, Long> totals =
                    services.counters.window(Duration.ofHours(1)).totals();
            assertThat(totals)
                    .as("the dashboard's per-pool, per-model token counter")
                    .anySatisfy((key, n) -> {
                        assertThat(key).startsWith("usage|tokens|").endsWith("|claude-haiku-4-5");
                        assertThat(n).isEqualTo(1_000_010L);
                    });
            Principal admin = services.auth.authenticate(TestHub.ADMIN);
            List<TraceEntry> trail = services.traces.trail(admin, "dev", null, 100);
            assertThat(trail)
                    .filteredOn(e -> e.kind().equals("message"))
                    .extracting(TraceEntry::action, TraceEntry::subject)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("chat", "#general"),
                            org.assertj.core.groups.Tuple.tuple("dm", "qa"));
        }
    }

    /** How much the metric {@code name} whose labels contain {@code label} grew between two scrapes. */
    private static double delta(String before, String after, String name, String label) {
        return value(after, name, label) - value(before, name, label);
    }

    private static double value(String scrape, String name, String label) {
        Matcher m =
                Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
