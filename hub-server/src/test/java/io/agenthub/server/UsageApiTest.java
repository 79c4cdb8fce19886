package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.Cli;
import io.agenthub.tck.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Usage reports: directives from context size, transfer handoffs, cost per agent, pool, model and day. */
class UsageApiTest {
    private static Map<String, Object> call(String model, long input, long output, long context) {
        return Map.of("model", model, "inputTokens", input, "outputTokens", output, "contextTokens", context);
    }

    @Test
    void context_size_gives_ok_warn_then_transfer_with_one_handoff_from_the_latest_checkpoint() throws Exception {
        try (TestHub hub = new TestHub()) {
            String dev = hub.agent("dev", Map.of("pool", "web"));
            long token = hub.post(dev, "/api/leases", Map.of("resource", "src/app.ts"))
                    .json()
                    .path("token")
                    .asLong();
            TestHub.Response ok = hub.post(
                    dev,
                    "/api/usage",
                    Map.of(
                            "model", "claude-sonnet-4-5",
                            "inputTokens", 1000,
                            "outputTokens", 200,
                            "cacheReadTokens", 5000,
                            "cacheWriteTokens", 100,
                            "contextTokens", 10_000));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("Hub-Directive")).isEqualTo("ok");
            JsonNode r = ok.json();
            assertThat(r.path("directive").asString()).isEqualTo("ok");
            assertThat(r.path("costUsd").decimalValue()).isEqualByComparingTo("0.007875");
            assertThat(r.path("warnAt").asLong()).isEqualTo(150_000);
            assertThat(r.path("transferAt").asLong()).isEqualTo(180_000);
            assertThat(hub.get(dev, "/api/whoami")
                            .json()
                            .path("agent")
                            .path("contextTokens")
                            .asLong())
                    .isEqualTo(10_000);

            JsonNode warn = hub.post(dev, "/api/usage", call("claude-sonnet-4-5", 10, 10, 150_000))
                    .json();
            assertThat(warn.path("directive").asString()).isEqualTo("warn");
            assertThat(warn.path("reason").asString()).contains("150,000", "checkpoint soon");
            assertThat(hub.post(dev, "/api/usage", call("claude-sonnet-4-5", 10, 10, 179_999))
                            .json()
                            .path("directive")
                            .asString())
                    .isEqualTo("warn");

            hub.post(
                    dev,
                    "/api/checkpoints",
                    Map.of("currentTask", "port billing", "pendingWork", List.of("invoice endpoint")));
            JsonNode transfer = hub.post(dev, "/api/usage", call("claude-sonnet-4-5", 10, 10, 180_000))
                    .json();
            assertThat(transfer.path("directive").asString()).isEqualTo("transfer");
            assertThat(transfer.path("reason").asString()).contains("checkpoint now");
            String handoffId = transfer.path("handoffId").asString();
            assertThat(handoffId).startsWith("ho-");
            JsonNode h = hub.get(dev, "/api/handoffs/" + handoffId).json();
            assertThat(h.path("kind").asString()).isEqualTo("transfer");
            assertThat(h.path("to").asString()).isEqualTo("pool:web");
            assertThat(h.path("title").asString()).contains("port billing");
            assertThat(h.path("nextSteps").toString()).contains("invoice endpoint");
            assertThat(h.path("leases").toString()).contains("src/app.ts");
            assertThat(hub.post(dev, "/api/usage", call("claude-sonnet-4-5", 10, 10, 190_000))
                            .json()
                            .path("handoffId")
                            .asString())
                    .as("one transfer while it is open")
                    .isEqualTo(handoffId);

            // The fresh session of the same identity finds the transfer in its hot-start and takes it over.
            String prompt = hub.get(dev, "/api/hot-start?format=markdown").raw().body();
            assertThat(prompt).contains("Handoffs for you", handoffId, "port billing", "Model routing");
            JsonNode accepted = hub.post(dev, "/api/handoffs/" + handoffId + "/accept", Map.of())
                    .json();
            assertThat(accepted.path("leases").get(0).path("token").asLong()).isGreaterThan(token);
            assertThat(hub.post(dev, "/api/leases/release", Map.of("resource", "src/app.ts", "token", token))
                            .status())
                    .as("the old session's token is fenced off")
                    .isEqualTo(409);
        }
    }

    @Test
    void cost_is_accounted_per_agent_pool_model_and_day_in_the_configured_time_zone() throws Exception {
        // 04:59 UTC is 23:59 on the previous day in New York.
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T04:59:00Z"));
        try (TestHub hub =
                TestHub.withClock(clock, Map.of("usage-time-zone", "America/New_York", "reaper-interval", "1h"))) {
            String a1 = hub.agent("a1", Map.of("pool", "web"));
            String a2 = hub.agent("a2", Map.of("pool", "web"));
            String b1 = hub.agent("b1", Map.of("pool", "ops"));
            hub.post(a1, "/api/usage", call("claude-haiku-4-5", 1_000_000, 0, 1000));
            hub.post(a2, "/api/usage", call("claude-sonnet-4-5", 1_000_000, 0, 1000));
            JsonNode r = hub.post(b1, "/api/usage", call("claude-opus-4-5", 0, 100_000, 1000))
                    .json();
            assertThat(r.path("day").asString()).isEqualTo("2025-12-31");
            assertThat(r.path("costUsd").decimalValue()).isEqualByComparingTo("2.5");
            assertThat(r.path("agentTodayUsd").decimalValue()).isEqualByComparingTo("2.5");
            assertThat(r.path("poolTodayUsd").decimalValue()).isEqualByComparingTo("2.5");
            assertThat(r.path("fleetTodayUsd").decimalValue()).isEqualByComparingTo("6.5");

            clock.advance(Duration.ofMinutes(2));
            JsonNode next = hub.post(a1, "/api/usage", call("claude-haiku-4-5", 1_000_000, 0, 1000))
                    .json();
            assertThat(next.path("day").asString()).isEqualTo("2026-01-01");
            assertThat(next.path("fleetTodayUsd").decimalValue()).isEqualByComparingTo("1");

            JsonNode u = hub.get(a1, "/api/usage?from=2025-12-31&to=2026-01-01").json();
            assertThat(u.path("timeZone").asString()).isEqualTo("America/New_York");
            assertThat(u.path("total").path("calls").asLong()).isEqualTo(4);
            assertThat(u.path("total").path("costUsd").decimalValue()).isEqualByComparingTo("7.5");
            assertThat(lines(u.path("byAgent"))).containsExactly("a2=3", "b1=2.5", "a1=2");
            assertThat(lines(u.path("byPool"))).containsExactly("web=5", "ops=2.5");
            assertThat(lines(u.path("byModel")))
                    .containsExactly("claude-sonnet-4-5=3", "claude-opus-4-5=2.5", "claude-haiku-4-5=2");
            assertThat(lines(u.path("byDay"))).containsExactly("2025-12-31=6.5", "2026-01-01=1");
            assertThat(hub.get(a1, "/api/usage")
                            .json()
                            .path("total")
                            .path("costUsd")
                            .decimalValue())
                    .as("today only")
                    .isEqualByComparingTo("1");
            assertThat(hub.get(a1, "/api/usage?from=2025-12-31&to=2026-01-01&pool=ops")
                            .json()
                            .path("total")
                            .path("costUsd")
                            .decimalValue())
                    .isEqualByComparingTo("2.5");
            assertThat(hub.get(a1, "/api/usage?from=2026-01-02&to=2026-01-01").status())
                    .isEqualTo(400);

            String table = cli(
                    "usage",
                    "--url",
                    hub.url(),
                    "--token",
                    TestHub.ADMIN,
                    "--from",
                    "2025-12-31",
                    "--to",
                    "2026-01-01",
                    "--by",
                    "pool");
            assertThat(table).contains("POOL", "CALLS", "COST (USD)", "web", "5.00", "ops", "2.50", "TOTAL", "7.50");
        }
    }

    @Test
    void concurrent_reports_of_one_agent_are_all_counted() throws Exception {
        // 400 reports at once from one agent is a flood by the default rate limits; this test is about counting.
        try (TestHub hub = new TestHub(Map.of("rate-limit-writes", "0"), java.time.Clock.systemUTC())) {
            String busy = hub.agent("busy", Map.of("pool", "web"));
            int threads = 16;
            int each = 25;
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        int okCount = 0;
                        for (int i = 0; i < each; i++) {
                            if (hub.post(busy, "/api/usage", call("claude-haiku-4-5", 1000, 100, 5000))
                                            .status()
                                    == 200) {
                                okCount++;
                            }
                        }
                        return okCount;
                    }));
                }
                start.countDown();
                for (Future<Integer> f : futures) {
                    assertThat(f.get()).isEqualTo(each);
                }
            }
            JsonNode total = hub.get(busy, "/api/usage").json().path("total");
            assertThat(total.path("calls").asLong()).isEqualTo(threads * each);
            assertThat(total.path("inputTokens").asLong()).isEqualTo(threads * each * 1000L);
            assertThat(total.path("outputTokens").asLong()).isEqualTo(threads * each * 100L);
            // Each call: 1000 x $1/M + 100 x $5/M = $0.0015.
            assertThat(total.path("costUsd").decimalValue()).isEqualByComparingTo("0.6");
        }
    }

    @Test
    void thresholds_are_configurable_per_model_and_agent_and_unknown_models_are_refused_without_a_catch_all()
            throws Exception {
        try (TestHub hub = new TestHub(
                Map.of(
                        "context-limits", "agent:small=1000/2000,opus=100000/120000",
                        "prices", "haiku=1/5/0.1/1.25,opus=5/25/0.5/6.25"),
                java.time.Clock.systemUTC())) {
            String small = hub.agent("small");
            String big = hub.agent("big");
            assertThat(hub.post(small, "/api/usage", call("claude-haiku-4-5", 1, 1, 1500))
                            .json()
                            .path("directive")
                            .asString())
                    .isEqualTo("warn");
            assertThat(hub.post(big, "/api/usage", call("claude-opus-4-5", 1, 1, 110_000))
                            .json()
                            .path("directive")
                            .asString())
                    .isEqualTo("warn");
            assertThat(hub.post(big, "/api/usage", call("claude-haiku-4-5", 1, 1, 110_000))
                            .json()
                            .path("directive")
                            .asString())
                    .isEqualTo("ok");
            TestHub.Response unknown = hub.post(big, "/api/usage", call("gpt-9", 1, 1, 1));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().path("detail").asString()).contains("No price for model gpt-9");
            assertThat(hub.post(TestHub.ADMIN, "/api/usage", call("claude-haiku-4-5", 1, 1, 1))
                            .status())
                    .as("usage is reported by agents")
                    .isEqualTo(400);
            assertThat(hub.post(big, "/api/usage", call("claude-haiku-4-5", -1, 1, 1))
                            .status())
                    .isEqualTo(400);
        }
    }

    private static List<String> lines(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(l -> out.add(l.path("key").asString() + "="
                + l.path("costUsd").decimalValue().stripTrailingZeros().toPlainString()));
        return out;
    }

    static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Cli.run(args))
                    .as("exit code of %s", String.join(" ", args))
                    .isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
