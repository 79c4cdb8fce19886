package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.rollout.Rollout;
import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/rollouts} and {@code hub rollout} end to end, and a rollout shared by two hub nodes on one Redis. */
class RolloutApiTest {
    private static CliRun cli(TestHub hub, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = hub.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = TestHub.ADMIN;
        return CliRun.of(all);
    }

    private static List<String> versions(TestHub hub, String pool, int n, String... labels) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestHub.Response r = hub.post(
                    TestHub.ADMIN, "/api/tasks", Map.of("title", "job " + i, "pool", pool, "labels", List.of(labels)));
            assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
            out.add(r.json().path("version").asString());
        }
        return out;
    }

    @Test
    void an_operator_starts_watches_and_rolls_back_a_canary_over_rest() throws Exception {
        try (TestHub hub = new TestHub()) {
            String agent = hub.agent("old-1", Map.of("pool", "writers", "version", "v1"));
            hub.agent("new-1", Map.of("pool", "writers", "version", "v2"));
            TestHub.Response refused = hub.post(agent, "/api/rollouts/writers/canary", Map.of("version", "v2"));
            assertThat(refused.status()).isEqualTo(403);
            TestHub.Response bad =
                    hub.post(TestHub.ADMIN, "/api/rollouts/writers/canary", Map.of("version", "v2", "steps", "50,10"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.raw().body()).contains("rising percentages");

            TestHub.Response started = hub.post(
                    TestHub.ADMIN,
                    "/api/rollouts/writers/canary",
                    Map.of("version", "v2", "steps", "10,100", "hold", "1h", "maxErrorRate", "5%"));
            assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
            assertThat(started.json().path("maxErrorRate").asDouble()).isEqualTo(0.05);
            assertThat(started.json().path("holdSeconds").asLong()).isEqualTo(3600);

            assertThat(versions(hub, "writers", 100)).filteredOn("v2"::equals).hasSize(10);
            JsonNode list = hub.get(agent, "/api/rollouts").json().path("rollouts");
            assertThat(list).hasSize(1);
            JsonNode r = list.get(0);
            assertThat(r.path("stage").asString()).isEqualTo("running");
            assertThat(r.path("weight").asInt()).isEqualTo(10);
            assertThat(r.path("baseline").asString()).isEqualTo("v1");
            assertThat(r.path("health").path("candidate").path("completed").asLong())
                    .isZero();
            assertThat(r.path("nextEvaluation").asString()).isNotEmpty();
            assertThat(r.path("log").get(0).path("action").asString()).isEqualTo("start");

            TestHub.Response back =
                    hub.post(TestHub.ADMIN, "/api/rollouts/writers/rollback", Map.of("reason", "incident 42"));
            assertThat(back.status()).as(back.raw().body()).isEqualTo(200);
            assertThat(back.json().path("stage").asString()).isEqualTo("rolled-back");
            assertThat(versions(hub, "writers", 5)).containsOnly("v1");
            assertThat(hub.post(TestHub.ADMIN, "/api/rollouts/writers/rollback", Map.of())
                            .status())
                    .isEqualTo(409);
            assertThat(hub.get(TestHub.ADMIN, "/api/rollouts/nowhere").status()).isEqualTo(404);
        }
    }

    @Test
    void the_blue_green_steps_are_commands() throws Exception {
        try (TestHub hub = new TestHub()) {
            hub.agent("blue-1", Map.of("pool", "writers", "version", "v1"));
            String green = hub.agent("green-1", Map.of("pool", "writers", "version", "v2"));
            CliRun start = cli(hub, "rollout", "bluegreen", "writers", "--green", "v2");
            assertThat(start.code()).as(start.err()).isZero();
            assertThat(start.out()).contains("blue-green of v2 (baseline v1), stage testing");
            assertThat(versions(hub, "writers", 2, "test")).containsOnly("v2");

            CliRun early = cli(hub, "rollout", "verify", "writers");
            assertThat(early.code()).isEqualTo(1);
            assertThat(early.out()).contains("no test task has finished yet");
            for (int i = 0; i < 2; i++) {
                JsonNode c = hub.post(green, "/api/tasks/claim", Map.of()).json();
                hub.post(
                        green,
                        "/api/tasks/" + c.path("id").asString() + "/complete",
                        Map.of("token", c.path("token").asLong()));
            }
            CliRun verified = cli(hub, "rollout", "verify", "writers");
            assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).contains("stage verified", "passed: 2 test task(s) completed");
            assertThat(cli(hub, "rollout", "switch", "writers").out()).contains("stage switched", "100% of new tasks");
            assertThat(versions(hub, "writers", 3)).containsOnly("v2");
            CliRun back = cli(hub, "rollout", "rollback", "writers", "--reason", "bad answers");
            assertThat(back.out()).contains("stage rolled-back");
            assertThat(versions(hub, "writers", 3)).containsOnly("v1");
            CliRun list = cli(hub, "rollout", "list", "--pool", "writers");
            assertThat(list.out()).contains("start", "verified", "switch", "rollback: bad answers");
            assertThat(cli(hub, "rollout", "end", "writers").out()).contains("rollout of pool writers ended");
            assertThat(versions(hub, "writers", 2)).as("no rollout, no version").containsOnly("");

            CliRun canary = cli(
                    hub,
                    "rollout",
                    "canary",
                    "writers",
                    "--version",
                    "v3",
                    "--baseline",
                    "v1",
                    "--steps",
                    "20,100",
                    "--hold",
                    "30m");
            assertThat(canary.code()).as(canary.err()).isZero();
            assertThat(canary.out()).contains("canary of v3 (baseline v1)", "20% of new tasks");
        }
    }

    @Test
    void two_nodes_on_one_redis_route_alike_and_take_each_decision_once() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings =
                Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix(), "task-events-channel", "");
        try (TestHub one = new TestHub(settings, Clock.systemUTC());
                TestHub two = new TestHub(settings, Clock.systemUTC())) {
            one.agent("old-1", Map.of("pool", "writers", "version", "v1"));
            String canary = one.agent("new-1", Map.of("pool", "writers", "version", "v2"));
            assertThat(one.post(
                                    TestHub.ADMIN,
                                    "/api/rollouts/writers/canary",
                                    Map.of("version", "v2", "steps", "10,100", "hold", "0s"))
                            .status())
                    .isEqualTo(201);
            List<String> routed = new ArrayList<>(versions(two, "writers", 50));
            routed.addAll(versions(one, "writers", 50));
            assertThat(routed).filteredOn("v2"::equals).hasSize(10);
            for (int i = 0; i < 10; i++) {
                TestHub node = i % 2 == 0 ? one : two;
                JsonNode c = node.post(canary, "/api/tasks/claim", Map.of()).json();
                assertThat(node.post(
                                        canary,
                                        "/api/tasks/" + c.path("id").asString() + "/fail",
                                        Map.of("token", c.path("token").asLong(), "reason", "broken"))
                                .status())
                        .isEqualTo(200);
            }
            List<Callable<List<Rollout>>> evaluations = new ArrayList<>();
            for (TestHub node : List.of(one, two, one, two)) {
                evaluations.add(() -> node.hub().services.rollouts.evaluate());
            }
            int decisions = 0;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Future<List<Rollout>> f : pool.invokeAll(evaluations)) {
                    decisions += f.get().size();
                }
            }
            assertThat(decisions).as("one node acts on the rollback").isEqualTo(1);
            JsonNode seen = one.get(TestHub.ADMIN, "/api/rollouts/writers").json();
            assertThat(seen.path("stage").asString()).isEqualTo("rolled-back");
            JsonNode audit = two.get(TestHub.ADMIN, "/api/audit?limit=200").json();
            assertThat(audit.toString().split("rollout.auto-rollback", -1)).hasSize(2);
        }
    }
}
