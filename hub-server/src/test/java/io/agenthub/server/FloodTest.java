package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.config.Setting;
import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One agent floods the hub with chat posts (thousands in a few seconds) under the default rate limits: most of the
 * flood is refused with 429, and the other agents' latency stays close to what it was before the flood, measured in
 * the same run. On SQLite, and on two hub nodes sharing one Redis, where the flood is spread over both nodes and still
 * gets one allowance (the buckets live in Redis).
 */
class FloodTest {
    private static final int FLOOD_AT_LEAST = 2_000;
    private static final int FLOOD_THREADS = 8;
    private static final int OTHERS = 4;
    private static final int ROUNDS = 20;

    @Test
    void a_flood_from_one_agent_is_throttled_and_leaves_the_others_latency_alone_on_sqlite() throws Exception {
        try (TestHub hub = new TestHub(Map.of(), Clock.systemUTC())) {
            floodAndMeasure(List.of(hub), "sqlite");
        }
    }

    @Test
    void a_flood_spread_over_two_redis_nodes_gets_one_allowance_and_leaves_the_others_alone() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings = Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix());
        try (TestHub one = new TestHub(settings, Clock.systemUTC());
                TestHub two = new TestHub(settings, Clock.systemUTC())) {
            floodAndMeasure(List.of(one, two), "redis, two nodes");
        }
    }

    private static void floodAndMeasure(List<TestHub> nodes, String backend) throws Exception {
        String flooder = nodes.get(0).agent("flooder");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < OTHERS; i++) {
            others.add(nodes.get(0).agent("worker-" + i));
        }
        workload(nodes, others, 3); // warm-up: connections, JIT
        List<Long> baseline = workload(nodes, others, ROUNDS);

        AtomicBoolean othersDone = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        List<Long> during;
        long floodStart = System.nanoTime();
        long floodEnd;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> flood = new ArrayList<>();
            for (int t = 0; t < FLOOD_THREADS; t++) {
                flood.add(pool.submit(() -> {
                    while (!othersDone.get() || sent.get() < FLOOD_AT_LEAST) {
                        int n = sent.incrementAndGet();
                        int status = nodes.get(n % nodes.size())
                                .post(flooder, "/api/chat", Map.of("channel", "spam", "text", "flood " + n))
                                .status();
                        floodStatuses
                                .computeIfAbsent(status, s -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return null;
                }));
            }
            while (sent.get() < 200) {
                Thread.onSpinWait();
            }
            during = workload(nodes, others, ROUNDS);
            othersDone.set(true);
            for (Future<?> f : flood) {
                f.get();
            }
            floodEnd = System.nanoTime();
        }
        double seconds = (floodEnd - floodStart) / 1e9;
        int total = floodStatuses.values().stream().mapToInt(AtomicInteger::get).sum();
        int granted = floodStatuses.getOrDefault(201, new AtomicInteger()).get();
        int limited = floodStatuses.getOrDefault(429, new AtomicInteger()).get();
        long p99Before = p99(baseline);
        long p99During = p99(during);
        System.out.printf(
                "flood on %s: %d requests in %.1f s (%.0f/s): %d granted, %d refused with 429 (statuses %s);"
                        + " others' p99 %.1f ms before, %.1f ms during (%d samples each)%n",
                backend,
                total,
                seconds,
                total / seconds,
                granted,
                limited,
                floodStatuses.keySet(),
                p99Before / 1e6,
                p99During / 1e6,
                baseline.size());

        assertThat(total).isGreaterThanOrEqualTo(FLOOD_AT_LEAST);
        assertThat(floodStatuses.keySet()).as("the flood's answers").containsOnly(201, 429);
        assertThat(limited).as("refused with 429").isGreaterThan(total * 9 / 10);
        // The default chat bucket (burst, then a rate a minute) holds for the whole hub: both nodes together.
        io.agenthub.ratelimit.Rate chat = io.agenthub.ratelimit.Rate.parse(Setting.RATE_LIMIT_CHAT.defaultValue());
        assertThat(granted)
                .as("granted")
                .isLessThanOrEqualTo(chat.burst() + (int) Math.ceil(seconds * chat.perMinute() / 60.0) + 2);
        // Generous: the machine is shared with other work, and the flood's refusals still take CPU (runs measured 2.9x
        // and 4.1x on SQLite, below 1x on Redis). Unthrottled, the flood's writes would queue ahead of the others'.
        assertThat(p99During)
                .as("others' p99 during the flood")
                .isLessThan(Math.max(8 * p99Before, p99Before + 400_000_000L));
    }

    /**
     * Each of the other agents, at once, runs {@code rounds} of a heartbeat, a chat read and (every other round) a chat
     * post, alternating nodes; returns every call's latency in nanoseconds. Every call must succeed.
     */
    private static List<Long> workload(List<TestHub> nodes, List<String> agents, int rounds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int a = 0; a < agents.size(); a++) {
                String token = agents.get(a);
                int agent = a;
                calls.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        TestHub node = nodes.get((agent + r) % nodes.size());
                        timed(latencies, () -> node.post(token, "/api/heartbeat", Map.of("status", "busy")));
                        timed(latencies, () -> node.get(token, "/api/chat?channel=team&limit=20"));
                        int round = r;
                        if (r % 2 == 0) {
                            timed(
                                    latencies,
                                    () -> node.post(
                                            token, "/api/chat", Map.of("channel", "team", "text", "r" + round)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        }
        return new ArrayList<>(latencies);
    }

    private static void timed(
            ConcurrentLinkedQueue<Long> latencies, java.util.function.Supplier<TestHub.Response> call) {
        long start = System.nanoTime();
        TestHub.Response r = call.get();
        latencies.add(System.nanoTime() - start);
        assertThat(r.status()).as("an honest agent's call: %s", r.raw().body()).isLessThan(300);
    }

    private static long p99(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }
}
