package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The work queue on two hub nodes sharing one Redis: claims race across nodes, and long-polls wake across nodes. */
class RedisTaskQueueTest {
    private static Map<String, String> settings() {
        LocalRedisServer redis = LocalRedisServer.shared();
        return Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix(), "task-events-channel", "");
    }

    @Test
    void thirty_two_claimers_through_two_nodes_take_a_thousand_tasks_each_exactly_once_and_finish_all()
            throws Exception {
        Map<String, String> settings = settings();
        try (TestHub one = new TestHub(settings, Clock.systemUTC());
                TestHub two = new TestHub(settings, Clock.systemUTC())) {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> creates = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    TestHub node = i % 2 == 0 ? one : two;
                    int n = i;
                    creates.add(pool.submit(() -> assertThat(
                                    node.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "t" + n, "priority", n % 5))
                                            .status())
                            .isEqualTo(201)));
                }
                for (Future<?> f : creates) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                tokens.add(one.agent("agent-" + i));
            }
            Set<String> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> claimers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 32; i++) {
                    TestHub node = i % 2 == 0 ? one : two;
                    String token = tokens.get(i);
                    claimers.add(pool.submit(() -> {
                        start.await();
                        int done = 0;
                        while (true) {
                            TestHub.Response r = node.post(token, "/api/tasks/claim", Map.of());
                            if (r.status() == 204) {
                                return done;
                            }
                            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
                            String id = r.json().path("id").asString();
                            if (!seen.add(id)) {
                                throw new AssertionError(id + " claimed twice");
                            }
                            TestHub.Response c = node.post(
                                    token,
                                    "/api/tasks/" + id + "/complete",
                                    Map.of("token", r.json().path("token").asLong()));
                            assertThat(c.status()).as(c.raw().body()).isEqualTo(200);
                            done++;
                        }
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : claimers) {
                    total += f.get(180, TimeUnit.SECONDS);
                }
                assertThat(total).isEqualTo(1000);
            }
            assertThat(seen).hasSize(1000);
            int done = 0;
            long after = 0;
            do {
                JsonNode page = two.get(TestHub.ADMIN, "/api/tasks?state=done&limit=200&after=" + after)
                        .json();
                done += page.path("tasks").size();
                after = page.path("next").asLong();
            } while (after != 0);
            assertThat(done).isEqualTo(1000);
        }
    }

    @Test
    void a_task_created_on_one_node_wakes_a_claim_waiting_on_the_other() throws Exception {
        Map<String, String> settings = settings();
        try (TestHub one = new TestHub(settings, Clock.systemUTC());
                TestHub two = new TestHub(settings, Clock.systemUTC())) {
            String worker = one.agent("worker");
            long began = System.nanoTime();
            CompletableFuture<TestHub.Response> waiting =
                    CompletableFuture.supplyAsync(() -> two.post(worker, "/api/tasks/claim?wait=25", Map.of()));
            Thread.sleep(500);
            String id = one.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "wake up"))
                    .json()
                    .path("id")
                    .asString();
            TestHub.Response r = waiting.get(20, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("id").asString()).isEqualTo(id);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began))
                    .isLessThan(10);
        }
    }
}
