package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hub nodes whose own clocks are ten seconds apart judge leases by one clock: no node takes a lease that the other
 * granted a moment ago (no premature expiry), and of racers on both nodes exactly one wins (no double grant).
 */
class SkewedClocksTest {
    private TestHub ahead;
    private TestHub behind;

    @BeforeEach
    void start() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings = Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix());
        ahead = new TestHub(settings, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)));
        behind = new TestHub(settings, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-5)));
    }

    @AfterEach
    void stop() {
        ahead.close();
        behind.close();
    }

    @Test
    void a_short_lease_granted_by_the_node_behind_is_not_expired_early_by_the_node_ahead() throws Exception {
        String alice = behind.agent("alice");
        String bob = ahead.agent("bob");
        TestHub.Response granted = behind.post(alice, "/api/leases", Map.of("resource", "build.lock", "ttlSeconds", 3));
        assertThat(granted.status()).isEqualTo(201);
        // By its own clock the node ahead is 10 s past this lease's expiry; by the shared clock it has 3 s left.
        TestHub.Response refused = ahead.post(bob, "/api/leases", Map.of("resource", "build.lock"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(ahead.post(
                                alice,
                                "/api/leases/renew",
                                Map.of(
                                        "resource",
                                        "build.lock",
                                        "token",
                                        granted.json().path("token").asLong(),
                                        "ttlSeconds",
                                        1))
                        .status())
                .as("the holder renews through the node ahead")
                .isEqualTo(200);
        Thread.sleep(1200);
        assertThat(ahead.post(bob, "/api/leases", Map.of("resource", "build.lock"))
                        .status())
                .as("free once it really expired")
                .isEqualTo(201);
    }

    @Test
    void racers_on_both_nodes_for_short_leases_never_win_twice() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tokens.add((i % 2 == 0 ? ahead : behind).agent("racer-" + i));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 20; round++) {
                String resource = "race-" + round;
                CountDownLatch go = new CountDownLatch(1);
                ConcurrentLinkedQueue<Integer> winners = new ConcurrentLinkedQueue<>();
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    int client = i;
                    calls.add(pool.submit(() -> {
                        go.await();
                        // A lease of 2 s: a node judging by its own clock, 10 s off, would see the other's as over.
                        for (int attempt = 0; attempt < 3; attempt++) {
                            if ((client % 2 == 0 ? ahead : behind)
                                            .post(
                                                    tokens.get(client),
                                                    "/api/leases",
                                                    Map.of("resource", resource, "ttlSeconds", 2))
                                            .status()
                                    == 201) {
                                winners.add(client);
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : calls) {
                    f.get();
                }
                assertThat(winners.stream().distinct().toList())
                        .as("distinct winners of round %d", round)
                        .hasSize(1);
            }
        }
    }
}
