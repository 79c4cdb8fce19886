package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.Cli;
import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The real hub on Redis ({@code redis-url} set), on the tests' own redis-server, driven over HTTP. */
class RedisHubTest {
    private LocalRedisServer redis;
    private Map<String, String> settings;
    private TestHub hub;

    @BeforeEach
    void start() throws Exception {
        redis = LocalRedisServer.shared();
        settings = Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix());
        hub = new TestHub(settings, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private static <T> CompletableFuture<T> inBackground(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void the_self_test_passes_on_redis_and_operations_state_is_shared() throws Exception {
        JsonNode run = hub.get(TestHub.ADMIN, "/api/tools-test").json();
        java.util.List<String> notPassed = new java.util.ArrayList<>();
        for (JsonNode r : run.path("results")) {
            if (!r.path("status").asString().equals("pass")) {
                notPassed.add(r.path("name").asString() + " " + r.path("status").asString() + ": "
                        + r.path("message").asString());
            }
        }
        assertThat(notPassed)
                .as("every check passes on Redis, the snapshot round trip too")
                .isEmpty();
        assertThat(run.path("passed").asInt()).isGreaterThanOrEqualTo(54);
        TestHub.Response export = hub.get(TestHub.ADMIN, "/api/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.raw().body()).contains("\"backend\":\"redis\"", "\"type\":\"self-test\"");

        String a = hub.agent("ops-a");
        hub.post(a, "/api/errors", Map.of("title", "boom"));
        hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "on redis"));
        TestHub second = new TestHub(settings, Clock.systemUTC());
        try {
            assertThat(second.get(TestHub.ADMIN, "/api/tier")
                            .json()
                            .path("tier")
                            .asInt())
                    .as("another node sees the tier")
                    .isEqualTo(2);
            assertThat(second.get(TestHub.ADMIN, "/api/errors?action=overview")
                            .json()
                            .path("unresolvedCount")
                            .asLong())
                    .isEqualTo(1);
            assertThat(second.get(TestHub.ADMIN, "/api/tools-test?action=results")
                            .json()
                            .path("id")
                            .asString())
                    .isEqualTo(run.path("id").asString());
        } finally {
            second.close();
        }
    }

    @Test
    void health_names_the_redis_store() {
        TestHub.Response health = hub.get(null, "/api/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("store").asString()).isEqualTo("redis");
        assertThat(health.json().path("status").asString()).isEqualTo("ok");
    }

    @Test
    void serve_with_an_unreachable_redis_stops_with_a_sentence_and_exit_code_2() throws Exception {
        int code = Cli.run(
                "serve",
                "--port",
                "0",
                "--data-dir",
                java.nio.file.Files.createTempDirectory("hub-noredis").toString(),
                "--set",
                "redis-url=redis://127.0.0.1:1",
                "--set",
                "redis-timeout=500ms",
                "--set",
                "admin-token=" + TestHub.ADMIN);
        assertThat(code).isEqualTo(2);
    }

    @Test
    void leases_chat_and_hot_start_work_on_redis_and_survive_a_restart() throws Exception {
        String alice = hub.agent("alice");
        String bob = hub.agent("bob");

        TestHub.Response granted =
                hub.post(alice, "/api/leases", Map.of("resource", "src/billing/", "ttlSeconds", 600));
        assertThat(granted.status()).isEqualTo(201);
        long token = granted.json().path("token").asLong();
        TestHub.Response inside = hub.post(bob, "/api/leases", Map.of("resource", "src/billing/api.ts"));
        assertThat(inside.status()).isEqualTo(409);
        assertThat(inside.json().path("detail").asString()).contains("held by alice");

        long after = hub.post(bob, "/api/chat", Map.of("channel", "general", "text", "starting"))
                .json()
                .path("cursor")
                .asLong();
        CompletableFuture<TestHub.Response> waiting =
                inBackground(() -> hub.get(bob, "/api/chat?channel=general&wait=10&after=" + after));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        long posted = System.nanoTime();
        hub.post(alice, "/api/chat", Map.of("channel", "general", "text", "@bob billing is mine today"));
        TestHub.Response answered = waiting.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofSeconds(1));
        assertThat(answered.json().path("messages").get(0).path("text").asString())
                .isEqualTo("@bob billing is mine today");

        hub.post(
                alice,
                "/api/checkpoints",
                Map.of("currentTask", "migrate billing to v2", "pendingWork", List.of("port the invoice endpoint")));
        hub.post(
                bob,
                "/api/memories",
                Map.of("category", "warning", "content", "billing invoices are immutable", "tags", List.of("billing")));
        hub.post(bob, "/api/dm", Map.of("to", "alice", "text", "ping me before touching invoices"));

        hub.restart();

        JsonNode hot = hub.get(alice, "/api/hot-start").json();
        assertThat(hot.path("checkpoint").path("currentTask").asString()).isEqualTo("migrate billing to v2");
        assertThat(hot.path("leases").get(0).path("resource").asString()).isEqualTo("src/billing/");
        assertThat(hot.path("inbox").get(0).path("text").asString()).isEqualTo("ping me before touching invoices");
        assertThat(hot.path("memories").toString()).contains("billing invoices are immutable");
        assertThat(hot.path("prompt").asString()).contains("migrate billing to v2", "port the invoice endpoint");

        assertThat(hub.post(alice, "/api/leases/release", Map.of("resource", "src/billing/", "token", token))
                        .status())
                .isEqualTo(200);
        TestHub.Response bobs = hub.post(bob, "/api/leases", Map.of("resource", "src/billing/api.ts"));
        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.json().path("token").asLong()).isGreaterThan(token);
    }

    @Test
    void two_hubs_on_one_redis_are_one_hub_and_a_post_on_one_wakes_a_long_poll_on_the_other() throws Exception {
        try (TestHub other = new TestHub(settings, Clock.systemUTC())) {
            String alice = hub.agent("alice");
            TestHub.Response granted = hub.post(alice, "/api/leases", Map.of("resource", "deploy.lock"));
            assertThat(granted.status()).isEqualTo(201);
            // Agents, tokens and leases made on one node are seen on the other.
            String bob = other.agent("bob");
            TestHub.Response refused = other.post(bob, "/api/leases", Map.of("resource", "deploy.lock"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(other.post(alice, "/api/leases", Map.of("resource", "deploy.lock"))
                            .status())
                    .as("the holder acquiring again through the other node")
                    .isEqualTo(200);

            CompletableFuture<TestHub.Response> waiting =
                    inBackground(() -> other.get(bob, "/api/inbox?wait=10&after=0"));
            Thread.sleep(200);
            assertThat(waiting).isNotDone();
            long posted = System.nanoTime();
            hub.post(alice, "/api/dm", Map.of("to", "bob", "text", "deploy is yours after me"));
            TestHub.Response answered = waiting.get(5, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofMillis(500));
            assertThat(answered.json().path("messages").get(0).path("text").asString())
                    .isEqualTo("deploy is yours after me");
        }
    }

    @Test
    void hubs_with_different_prefixes_share_a_redis_without_seeing_each_other() throws Exception {
        Map<String, String> elsewhere = Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix());
        try (TestHub other = new TestHub(elsewhere, Clock.systemUTC())) {
            String alice = hub.agent("alice");
            hub.post(alice, "/api/leases", Map.of("resource", "shared.lock"));
            String bob = other.agent("bob");
            assertThat(other.post(bob, "/api/leases", Map.of("resource", "shared.lock"))
                            .status())
                    .isEqualTo(201);
            assertThat(other.get(alice, "/api/leases").status())
                    .as("alice is unknown there")
                    .isEqualTo(401);
        }
    }

    @Test
    void usage_counters_stay_exact_under_concurrent_reports_through_two_hub_nodes() throws Exception {
        try (TestHub other = new TestHub(settings, Clock.systemUTC())) {
            String a = hub.agent("spender-a");
            String b = hub.agent("spender-b");
            int perAgentPerNode = 50;
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                java.util.List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
                for (TestHub node : java.util.List.of(hub, other)) {
                    for (String token : java.util.List.of(a, b)) {
                        for (int i = 0; i < perAgentPerNode; i++) {
                            calls.add(pool.submit(() -> node.post(
                                            token,
                                            "/api/usage",
                                            Map.of(
                                                    "model",
                                                    "claude-haiku-4-5",
                                                    "inputTokens",
                                                    1000,
                                                    "outputTokens",
                                                    100))
                                    .status()));
                        }
                    }
                }
                for (var call : calls) {
                    assertThat(call.get()).isEqualTo(200);
                }
            }
            var total = other.get(TestHub.ADMIN, "/api/usage").json().path("total");
            assertThat(total.path("calls").asLong()).isEqualTo(4L * perAgentPerNode);
            assertThat(total.path("inputTokens").asLong()).isEqualTo(4L * perAgentPerNode * 1000);
            assertThat(total.path("outputTokens").asLong()).isEqualTo(4L * perAgentPerNode * 100);
        }
    }

    @Test
    void a_throttled_agent_takes_new_work_once_per_delay_across_two_hub_nodes() throws Exception {
        Map<String, String> throttled = new java.util.HashMap<>(settings);
        throttled.putAll(Map.of(
                "budget-info-usd", "1",
                "budget-warn-usd", "2",
                "budget-throttle-usd", "3",
                "budget-halt-usd", "100",
                "throttle-delay", "1h"));
        try (TestHub one = new TestHub(throttled, Clock.systemUTC());
                TestHub two = new TestHub(throttled, Clock.systemUTC())) {
            String dev = one.agent("dev");
            // claude-haiku-4-5 costs $1 per million input tokens: $3 reaches the throttle threshold.
            assertThat(one.post(dev, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 3_000_000))
                            .json()
                            .path("directive")
                            .asString())
                    .isEqualTo("slow_down");
            List<Integer> statuses = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    TestHub node = i % 2 == 0 ? one : two;
                    String resource = "file-" + i + ".txt";
                    calls.add(pool.submit(() -> node.post(dev, "/api/leases", Map.of("resource", resource))
                            .status()));
                }
                for (var call : calls) {
                    statuses.add(call.get());
                }
            }
            assertThat(statuses)
                    .as("one admission per delay for the fleet, not per node")
                    .containsOnlyOnce(201);
            assertThat(statuses).filteredOn(s -> s != 201).containsOnly(429);
            TestHub.Response later = two.post(dev, "/api/leases", Map.of("resource", "later.txt"));
            assertThat(later.status()).isEqualTo(429);
            assertThat(Long.parseLong(later.header("Retry-After"))).isBetween(3500L, 3600L);
        }
    }
}
