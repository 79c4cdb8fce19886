package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The guide's budget alerts with small thresholds: notice, warning, throttle, halt and acknowledgement. */
class BudgetTest {
    // claude-haiku-4-5 costs $1 per million input tokens: each report below spends exactly $1.
    private static final Map<String, Object> ONE_DOLLAR =
            Map.of("model", "claude-haiku-4-5", "inputTokens", 1_000_000, "contextTokens", 1000);

    private static Map<String, String> settings() {
        return Map.of(
                "budget-info-usd", "1",
                "budget-warn-usd", "2",
                "budget-throttle-usd", "3",
                "budget-halt-usd", "4",
                "throttle-delay", "30s",
                "essential-agents", "vip",
                "reaper-interval", "1h");
    }

    @Test
    void spend_passes_notice_warning_throttle_and_halt_until_a_human_acknowledges() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, settings())) {
            String dev = hub.agent("dev", Map.of("pool", "web"));
            String vip = hub.agent("vip");
            JsonNode first = hub.post(dev, "/api/usage", ONE_DOLLAR).json();
            assertThat(first.path("budgetLevel").asString()).isEqualTo("info");
            assertThat(first.path("directive").asString()).isEqualTo("ok");
            assertThat(chat(hub)).contains("Budget notice", "$1.00");

            assertThat(hub.post(dev, "/api/usage", ONE_DOLLAR)
                            .json()
                            .path("budgetLevel")
                            .asString())
                    .isEqualTo("warn");
            assertThat(chat(hub)).contains("Budget warning", "review");

            TestHub.Response slow = hub.post(dev, "/api/usage", ONE_DOLLAR);
            assertThat(slow.json().path("directive").asString()).isEqualTo("slow_down");
            assertThat(slow.json().path("delaySeconds").asLong()).isEqualTo(30);
            assertThat(slow.header("Hub-Delay-Seconds")).isEqualTo("30");
            assertThat(chat(hub)).contains("Budget alert", "Auto-throttle");

            TestHub.Response taken = hub.post(dev, "/api/leases", Map.of("resource", "one.txt"));
            assertThat(taken.status()).isEqualTo(201);
            assertThat(taken.header("Hub-Directive")).isEqualTo("slow_down");
            TestHub.Response limited = hub.post(dev, "/api/leases", Map.of("resource", "two.txt"));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isEqualTo("30");
            assertThat(hub.post(vip, "/api/leases", Map.of("resource", "v1.txt"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(vip, "/api/leases", Map.of("resource", "v2.txt"))
                            .status())
                    .as("essential agents are not throttled")
                    .isEqualTo(201);
            clock.advance(Duration.ofSeconds(30));
            assertThat(hub.post(dev, "/api/leases", Map.of("resource", "two.txt"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.get(dev, "/api/routing?complexity=moderate")
                            .json()
                            .path("advice")
                            .get(0)
                            .path("model")
                            .asString())
                    .as("throttled: moderate work goes to the cheap model")
                    .isEqualTo("claude-haiku-4-5");

            JsonNode halt = hub.post(dev, "/api/usage", ONE_DOLLAR).json();
            assertThat(halt.path("directive").asString()).isEqualTo("halt");
            assertThat(halt.path("reason").asString()).contains("stop");
            assertThat(chat(hub)).contains("EMERGENCY HALT");
            assertThat(hub.get(vip, "/api/inbox?after=0").raw().body()).contains("EMERGENCY HALT");
            clock.advance(Duration.ofMinutes(1));
            TestHub.Response refused = hub.post(dev, "/api/leases", Map.of("resource", "three.txt"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("code").asString()).isEqualTo("budget_halt");
            assertThat(hub.post(vip, "/api/leases", Map.of("resource", "v3.txt"))
                            .status())
                    .as("essential agents halt too")
                    .isEqualTo(409);
            TestHub.Response handedOver = hub.post(dev, "/api/handoffs", Map.of("to", "vip", "title", "x"));
            assertThat(handedOver.status())
                    .as("handing work over is winding down, not new work")
                    .isEqualTo(201);
            TestHub.Response accepted = hub.post(
                    vip, "/api/handoffs/" + handedOver.json().path("id").asString() + "/accept", Map.of());
            assertThat(accepted.status()).isEqualTo(409);
            assertThat(accepted.json().path("code").asString()).isEqualTo("budget_halt");
            assertThat(hub.post(TestHub.ADMIN, "/api/leases", Map.of("resource", "ops.txt"))
                            .status())
                    .as("admins still work")
                    .isEqualTo(201);
            JsonNode budget = hub.get(dev, "/api/budget").json();
            assertThat(budget.path("level").asString()).isEqualTo("halt");
            assertThat(budget.path("fleetSpendUsd").decimalValue()).isEqualByComparingTo("4");
            assertThat(budget.path("halts").get(0).path("scope").asString()).isEqualTo("fleet");
            assertThat(budget.path("alerts").size()).isEqualTo(4);

            assertThat(hub.post(dev, "/api/budget/acknowledge", Map.of("note", "ok"))
                            .status())
                    .isEqualTo(403);
            TestHub.Response ack =
                    hub.post(TestHub.ADMIN, "/api/budget/acknowledge", Map.of("note", "raised the daily limit"));
            assertThat(ack.status()).isEqualTo(200);
            assertThat(ack.json().path("acknowledged").path("by").asString()).isEqualTo("admin");
            assertThat(hub.post(TestHub.ADMIN, "/api/budget/acknowledge", Map.of("note", "again"))
                            .status())
                    .isEqualTo(404);
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=1000").raw().body())
                    .contains("budget.acknowledge", "raised the daily limit", "budget.halt");
            assertThat(hub.post(dev, "/api/leases", Map.of("resource", "three.txt"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(dev, "/api/usage", ONE_DOLLAR)
                            .json()
                            .path("directive")
                            .asString())
                    .as("acknowledged for the day; still throttled")
                    .isEqualTo("slow_down");
            assertThat(hub.get(dev, "/api/budget")
                            .json()
                            .path("acknowledgements")
                            .get(0)
                            .path("note")
                            .asString())
                    .isEqualTo("raised the daily limit");

            clock.advance(Duration.ofDays(1));
            JsonNode tomorrow = hub.post(dev, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 10))
                    .json();
            assertThat(tomorrow.path("directive").asString()).isEqualTo("ok");
            assertThat(tomorrow.path("budgetLevel").asString()).isEqualTo("normal");
            assertThat(hub.post(dev, "/api/leases", Map.of("resource", "four.txt"))
                            .header("Hub-Directive"))
                    .isNull();
        }
    }

    @Test
    void an_agent_over_its_own_daily_budget_halts_alone_until_acknowledged() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
        try (TestHub hub =
                TestHub.withClock(clock, Map.of("agent-budgets-usd", "spender=1.5", "agent-daily-budget-usd", "100"))) {
            String spender = hub.agent("spender");
            String saver = hub.agent("saver");
            JsonNode first = hub.post(spender, "/api/usage", ONE_DOLLAR).json();
            assertThat(first.path("directive").asString()).isEqualTo("ok");
            assertThat(first.path("agentBudgetUsd").decimalValue()).isEqualByComparingTo("1.5");
            assertThat(hub.post(saver, "/api/usage", ONE_DOLLAR)
                            .json()
                            .path("agentBudgetUsd")
                            .decimalValue())
                    .isEqualByComparingTo("100");

            JsonNode over = hub.post(spender, "/api/usage", ONE_DOLLAR).json();
            assertThat(over.path("directive").asString()).isEqualTo("halt");
            assertThat(over.path("reason").asString()).startsWith("You spent $2.00");
            assertThat(hub.get(spender, "/api/inbox?after=0").raw().body()).contains("Budget halt for spender");
            assertThat(hub.post(spender, "/api/leases", Map.of("resource", "a")).status())
                    .isEqualTo(409);
            assertThat(hub.post(saver, "/api/leases", Map.of("resource", "b")).status())
                    .isEqualTo(201);
            assertThat(hub.post(saver, "/api/usage", ONE_DOLLAR)
                            .json()
                            .path("directive")
                            .asString())
                    .isEqualTo("ok");

            assertThat(hub.post(TestHub.ADMIN, "/api/budget/acknowledge", Map.of("note", "fine"))
                            .status())
                    .as("no fleet halt")
                    .isEqualTo(404);
            assertThat(hub.post(
                                    TestHub.ADMIN,
                                    "/api/budget/acknowledge",
                                    Map.of("agentId", "spender", "note", "one-off migration"))
                            .status())
                    .isEqualTo(200);
            assertThat(hub.post(spender, "/api/leases", Map.of("resource", "a")).status())
                    .isEqualTo(201);
        }
    }

    private static String chat(TestHub hub) {
        return hub.get(TestHub.ADMIN, "/api/chat?channel=ops&limit=500").raw().body();
    }
}
