package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis trouble under load: while the hub's Redis is frozen (SIGSTOP) or crashed, requests fail fast with 503
 * problem+json and Retry-After and health says degraded with the reason; the hub recovers by itself when Redis returns,
 * and every acknowledged write is still there.
 */
class RedisTroubleTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private LocalRedisServer redis;
    private TestHub hub;

    @BeforeEach
    void start() throws Exception {
        // Persistent, so that a crash loses nothing acknowledged: fsync of the append-only file on every write.
        redis = LocalRedisServer.start(
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                Files.createTempDirectory("redis-aof").toString());
        hub = new TestHub(
                Map.of(
                        "redis-url",
                        redis.url(),
                        "redis-prefix",
                        redis.freshPrefix(),
                        "redis-timeout",
                        TIMEOUT.toMillis() + "ms",
                        // The load posts chat as fast as it can; rate limits are FloodTest's subject.
                        "rate-limit-chat",
                        "0",
                        "rate-limit-writes",
                        "0"),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
        redis.resume();
        redis.close();
    }

    /** Agents posting chat and taking leases in a loop, recording what the hub acknowledged and how it failed. */
    private final class Load implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Load(List<String> tokens) {
            for (int t = 0; t < tokens.size(); t++) {
                String token = tokens.get(t);
                int id = t;
                threads.add(Thread.ofVirtual().start(() -> run(id, token)));
            }
        }

        private void run(int id, String token) {
            for (int i = 0; running.get(); i++) {
                String text = "agent " + id + " message " + i;
                record(hub.post(token, "/api/chat", Map.of("channel", "load", "text", text)), text);
                TestHub.Response lease = hub.post(token, "/api/leases", Map.of("resource", "file-" + id));
                record(lease, null);
                if (lease.status() == 201 || lease.status() == 200) {
                    record(
                            hub.post(
                                    token,
                                    "/api/leases/release",
                                    Map.of(
                                            "resource",
                                            "file-" + id,
                                            "token",
                                            lease.json().path("token").asLong())),
                            null);
                }
            }
        }

        private void record(TestHub.Response r, String text) {
            switch (r.status()) {
                case 200, 201 -> {
                    ok.incrementAndGet();
                    if (text != null) {
                        acknowledged.add(text);
                    }
                }
                case 503 -> {
                    unavailable.incrementAndGet();
                    if (r.header("Retry-After") == null
                            || !r.header("Content-Type").startsWith("application/problem+json")) {
                        unexpected.add("503 without Retry-After or problem+json: "
                                + r.raw().headers());
                    }
                }
                // A release that timed out may have been applied, so its retry finds it released: fine.
                case 409 -> {}
                default -> unexpected.add(r.status() + " " + r.raw().body());
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
        }
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (hub.get(null, "/api/health").status() != 200) {
            assertThat(System.nanoTime()).as("the hub recovers by itself").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void assertDegradedQuickly() {
        long started = System.nanoTime();
        TestHub.Response health = hub.get(null, "/api/health");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusSeconds(1));
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.header("Retry-After")).isNotNull();
        assertThat(health.json().path("status").asString()).isEqualTo("degraded");
        assertThat(health.json().path("reason").asString()).contains("Redis");
    }

    @Test
    void frozen_then_crashed_redis_gives_fast_503s_and_the_hub_recovers_without_losing_acknowledged_writes()
            throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tokens.add(hub.agent("agent-" + i));
        }
        String reader = hub.agent("reader");
        Load load = new Load(tokens);
        try (load) {
            Thread.sleep(1000);
            int beforeFreeze = load.ok.get();

            redis.pause();
            Thread.sleep(200);
            assertDegradedQuickly();
            Thread.sleep(1500);
            redis.resume();
            awaitHealthy();
            Thread.sleep(1000);
            int afterFreeze = load.ok.get();

            redis.crash();
            Thread.sleep(200);
            assertDegradedQuickly();
            long started = System.nanoTime();
            assertThat(hub.post(tokens.getFirst(), "/api/chat", Map.of("channel", "load", "text", "lost?"))
                            .status())
                    .isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("with Redis gone, requests fail fast")
                    .isLessThan(TIMEOUT.plusMillis(500));
            Thread.sleep(1500);
            redis.restart();
            awaitHealthy();
            Thread.sleep(1000);

            assertThat(beforeFreeze).as("served before the trouble").isPositive();
            assertThat(afterFreeze).as("served after the freeze").isGreaterThan(beforeFreeze);
            assertThat(load.ok.get()).as("served after the crash").isGreaterThan(afterFreeze);
        }
        assertThat(load.unavailable.get())
                .as("requests refused during the trouble")
                .isPositive();
        assertThat(load.unexpected).isEmpty();

        Set<String> stored = ConcurrentHashMap.newKeySet();
        long after = 0;
        while (true) {
            TestHub.Response page = hub.get(reader, "/api/chat?channel=load&limit=500&after=" + after);
            if (page.json().path("messages").isEmpty()) {
                break;
            }
            page.json().path("messages").forEach(m -> stored.add(m.path("text").asString()));
            after = page.json().path("nextCursor").asLong();
        }
        assertThat(stored).as("every acknowledged message survived").containsAll(load.acknowledged);
    }
}
