package io.agenthub.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.agenthub.chaos.ChaosReport;
import io.agenthub.chaos.FaultProxy;
import io.agenthub.chaos.GrantHistory;
import io.agenthub.chaos.LeaseSafetyChecker;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Leases;
import io.agenthub.store.redis.LocalRedisServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite's network scenarios: two hub nodes on one Redis, each through a {@link FaultProxy} of its own, with
 * clocks six seconds apart (one 3 s ahead, one 3 s behind). Contended lease traffic runs through latency (10 ms, 100
 * ms, 1 s, 5 s, with jitter), loss, resets and a partition of one node, and {@link LeaseSafetyChecker} proves the grant
 * history safe; then one node is cut from Redis while agents with hub-client's several URLs fail over to the other.
 * Properties and figures go to the chaos report ({@link ChaosRun}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosRedisFaultsTest {
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
    /** The request budget (redis-request-budget): all of one request's Redis calls together. */
    private static final Duration REQUEST_BUDGET = Duration.ofSeconds(1);
    /**
     * Every request, however many Redis calls it makes, ends within its budget plus a margin for the work around the
     * calls on a machine shared with other tests. Without the budget a request of n calls to a Redis a little faster
     * than the timeout takes n times the round trip: the status read makes about ten, so at 400 ms of one-way latency
     * it would take some 8 s.
     */
    private static final Duration REQUEST_BOUND = REQUEST_BUDGET.plusSeconds(2);
    /**
     * A call still running this long after it was sent is hung, whatever the phase: the watchdog counts it in the phase
     * it was sent in and dumps every thread (virtual ones included) once, to {@link #HUNG_DUMP}, to show where it
     * waits. Without the watchdog a hung call would be seen only as the missing calls of the phases it spans.
     */
    private static final Duration HUNG = Duration.ofMillis(
            Long.getLong("chaos.hung-ms", REQUEST_BOUND.plusSeconds(2).toMillis()));

    private static final Path HUNG_DUMP = Path.of("target", "chaos", "hung-call-threads.txt");

    private static final Duration TTL = Duration.ofSeconds(2);
    private static final List<String> RESOURCES = List.of(
            "chaos/r0", "chaos/r1", "chaos/r2", "chaos/r3", "chaos/zone/", "chaos/zone/a", "chaos/zone/b", "ci.lock");
    private static final int CLIENTS = 24;

    private static FaultProxy proxyA;
    private static FaultProxy proxyB;
    private static TestHub nodeA;
    private static TestHub nodeB;
    private static final GrantHistory history = new GrantHistory();

    @BeforeAll
    static void start() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        proxyA = FaultProxy.start("127.0.0.1", redis.port());
        proxyB = FaultProxy.start("127.0.0.1", redis.port());
        String prefix = redis.freshPrefix();
        nodeA = startNode(settings(proxyA, prefix), Duration.ofSeconds(3));
        nodeB = startNode(settings(proxyB, prefix), Duration.ofSeconds(-3));
    }

    /** A node whose clock is {@code skew} off; a few attempts, as a busy machine may miss the 1 s connect timeout. */
    private static TestHub startNode(Map<String, String> settings, Duration skew) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return new TestHub(settings, Clock.offset(Clock.systemUTC(), skew));
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static Map<String, String> settings(FaultProxy proxy, String prefix) {
        return Map.of(
                "redis-url",
                "redis://" + proxy.address(),
                "redis-prefix",
                prefix,
                "redis-timeout",
                REDIS_TIMEOUT.toMillis() + "ms",
                "redis-request-budget",
                REQUEST_BUDGET.toMillis() + "ms",
                "rate-limit-writes",
                "0",
                "rate-limit-reads",
                "0",
                "rate-limit-chat",
                "0");
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        proxyA.close();
        proxyB.close();
    }

    private static TestHub node(int client) {
        return client % 2 == 0 ? nodeA : nodeB;
    }

    private static String nodeName(TestHub node) {
        return node == nodeA ? "A(+3s)" : "B(-3s)";
    }

    /** What the clients saw in one phase. */
    private static final class Stats {
        final String name;
        final LongAdder attempts = new LongAdder();
        final LongAdder granted = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder unavailable = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder hung = new LongAdder();
        final LongAdder reads = new LongAdder();
        final LongAdder readsRefused = new LongAdder();
        final AtomicLong slowestNanos = new AtomicLong();
        volatile String slowestCall = "";
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

        Stats(String name) {
            this.name = name;
        }

        void took(String call, long nanos) {
            if (slowestNanos.accumulateAndGet(nanos, Math::max) == nanos) {
                slowestCall = call;
            }
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-38s attempts %,7d  granted %,6d  409 %,7d  503 %,6d  failed %,4d  status reads %,5d (503 %,5d)"
                            + "  slowest %,6d ms (%s)  hung %d",
                    name,
                    attempts.sum(),
                    granted.sum(),
                    refused.sum(),
                    unavailable.sum(),
                    failed.sum(),
                    reads.sum(),
                    readsRefused.sum(),
                    slowestNanos.get() / 1_000_000,
                    slowestCall,
                    hung.sum());
        }
    }

    /** A call on its way: what it is, when it was sent, and the phase it was sent in. */
    private static final class Call {
        final String what;
        final long sentNanos = System.nanoTime();
        final Stats stats;
        boolean reported;

        Call(String what, Stats stats) {
            this.what = what;
            this.stats = stats;
        }
    }

    /** Contended acquire-then-release traffic from {@link #CLIENTS} agents, half on each node. */
    private static final class Traffic implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final LongAdder total = new LongAdder();
        final List<Thread> threads = new ArrayList<>();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<Thread, Call> inFlight = new ConcurrentHashMap<>();
        final AtomicBoolean dumped = new AtomicBoolean();
        /** Client loops that ended with an exception (each would silently stop its share of the traffic). */
        final ConcurrentLinkedQueue<String> died = new ConcurrentLinkedQueue<>();
        /** The phase the calls sent now count in; set before any client starts (a client reads it first thing). */
        volatile Stats stats;

        Traffic(List<String> tokens, String chatter, Stats first) {
            this.stats = first;
            for (int i = 0; i < tokens.size(); i++) {
                int client = i;
                threads.add(Thread.ofVirtual()
                        .start(guarded("acquire loop " + client, () -> acquireLoop(client, tokens.get(client)))));
            }
            for (TestHub node : List.of(nodeA, nodeB)) {
                threads.add(Thread.ofVirtual().start(guarded("chat loop", () -> chatLoop(node, chatter))));
                threads.add(Thread.ofVirtual().start(guarded("status loop", () -> statusLoop(node, chatter))));
            }
            threads.add(Thread.ofPlatform()
                    .daemon()
                    .name("chaos-hung-call-watchdog")
                    .start(this::watchdog));
        }

        /**
         * The hub's threads in the dump (those running its code, not this test's clients), grouped by where they are:
         * the first frame outside the JDK and the first three of the hub's own code, with how many threads are there.
         */
        private static String hubThreads() throws IOException {
            Map<String, Integer> where = new java.util.LinkedHashMap<>();
            for (String thread : Files.readString(HUNG_DUMP).split("\\n\\s*\\n")) {
                List<String> frames = thread.lines()
                        .map(String::strip)
                        .filter(l -> l.startsWith("at "))
                        .map(l -> l.substring(3))
                        .toList();
                if (frames.stream().noneMatch(f -> f.startsWith("io.agenthub"))
                        || frames.stream()
                                .anyMatch(f -> f.contains("ChaosRedisFaultsTest") || f.contains("FaultProxy"))) {
                    continue;
                }
                String blocked = frames.stream()
                        .filter(f -> !f.startsWith("java.base/"))
                        .findFirst()
                        .orElse("");
                String own = String.join(
                        " < ",
                        frames.stream()
                                .filter(f -> f.startsWith("io.agenthub"))
                                .limit(3)
                                .toList());
                where.merge(blocked + " < ... " + own, 1, Integer::sum);
            }
            StringBuilder out = new StringBuilder();
            where.forEach((k, n) -> out.append(n).append(" x [").append(k).append("] "));
            return out.length() > 3000 ? out.substring(0, 3000) + "..." : out.toString();
        }

        private Runnable guarded(String name, Runnable loop) {
            return () -> {
                try {
                    loop.run();
                } catch (Throwable e) {
                    died.add(name + ": " + e);
                }
            };
        }

        /** Runs {@code call} as the calling thread's call on its way, seen by the {@link #watchdog}. */
        private <T> T watched(String what, Stats s, java.util.function.Supplier<T> call) {
            inFlight.put(Thread.currentThread(), new Call(what, s));
            try {
                return call.get();
            } finally {
                inFlight.remove(Thread.currentThread());
            }
        }

        /** Reports every call still running {@link #HUNG} after it was sent, once each; the first one dumps threads. */
        private void watchdog() {
            while (running.get()) {
                pause(200);
                long now = System.nanoTime();
                for (Call c : inFlight.values()) {
                    long age = now - c.sentNanos;
                    if (age < HUNG.toNanos() || c.reported) {
                        continue;
                    }
                    c.reported = true;
                    c.stats.hung.increment();
                    String where = dumpThreads();
                    c.stats.unexpected.add(
                            c.what + " still running " + age / 1_000_000 + " ms after it was sent" + where);
                }
            }
        }

        private String dumpThreads() {
            if (!dumped.compareAndSet(false, true)) {
                return "";
            }
            try {
                Files.createDirectories(HUNG_DUMP.getParent());
                Files.deleteIfExists(HUNG_DUMP);
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(
                                HUNG_DUMP.toAbsolutePath().toString(),
                                HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                return " (every thread dumped to " + HUNG_DUMP + "; hub threads: " + hubThreads() + ")";
            } catch (IOException | RuntimeException e) {
                return " (thread dump failed: " + e + ")";
            }
        }

        private void acquireLoop(int client, String token) {
            TestHub node = node(client);
            String holder = "racer-" + client;
            while (running.get()) {
                Stats s = stats;
                String resource = RESOURCES.get(ThreadLocalRandom.current().nextInt(RESOURCES.size()));
                long sent = history.now();
                TestHub.Response r;
                try {
                    r = watched(
                            "acquire",
                            s,
                            () -> node.post(
                                    token, "/api/leases", Map.of("resource", resource, "ttlSeconds", TTL.toSeconds())));
                } catch (RuntimeException e) {
                    s.failed.increment();
                    continue;
                }
                long received = history.now();
                s.attempts.increment();
                total.increment();
                s.took("acquire", received - sent);
                switch (r.status()) {
                    case 200, 201 -> {
                        s.granted.increment();
                        long leaseToken = r.json().path("token").asLong();
                        long until = GrantHistory.validUntil(sent, TTL);
                        long releaseSent = history.now();
                        history.record(
                                resource, holder, leaseToken, received, Math.min(until, releaseSent), nodeName(node));
                        try {
                            TestHub.Response rel = watched(
                                    "release",
                                    s,
                                    () -> node.post(
                                            token,
                                            "/api/leases/release",
                                            Map.of("resource", resource, "token", leaseToken)));
                            s.took("release", history.now() - releaseSent);
                            check503(s, rel);
                        } catch (RuntimeException e) {
                            s.failed.increment();
                        }
                    }
                    case 409 -> s.refused.increment();
                    case 503 -> {
                        s.unavailable.increment();
                        check503(s, r);
                        pause(50);
                    }
                    default -> s.unexpected.add(r.status() + " " + r.raw().body());
                }
            }
        }

        private static void check503(Stats s, TestHub.Response r) {
            if (r.status() == 503
                    && (r.header("Retry-After") == null
                            || !r.header("Content-Type").startsWith("application/problem+json"))) {
                s.unexpected.add(
                        "503 without Retry-After or problem+json: " + r.raw().headers());
            }
            if (r.status() >= 500 && r.status() != 503) {
                s.unexpected.add(r.status() + " " + r.raw().body());
            }
        }

        /** The fleet status: one request that makes about ten Redis calls, bounded by one budget in all. */
        private void statusLoop(TestHub node, String token) {
            while (running.get()) {
                Stats s = stats;
                long sent = System.nanoTime();
                try {
                    TestHub.Response r = watched("status", s, () -> node.get(token, "/api/status"));
                    s.took("status", System.nanoTime() - sent);
                    s.reads.increment();
                    if (r.status() == 503) {
                        s.readsRefused.increment();
                    }
                    if (r.status() != 200) {
                        check503(s, r);
                    }
                } catch (RuntimeException e) {
                    s.failed.increment();
                }
                pause(20);
            }
        }

        private void chatLoop(TestHub node, String token) {
            for (int i = 0; running.get(); i++) {
                String text = nodeName(node) + " message " + i;
                try {
                    TestHub.Response r = watched(
                            "chat post",
                            stats,
                            () -> node.post(token, "/api/chat", Map.of("channel", "chaos", "text", text)));
                    if (r.status() == 201 || r.status() == 200) {
                        acknowledged.add(text);
                    }
                } catch (RuntimeException e) {
                    // Not acknowledged: nothing to find later.
                }
                pause(20);
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

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Phase(String name, Runnable apply, Duration length) {}

    @Test
    @Order(1)
    void contended_leases_on_two_skewed_nodes_stay_safe_through_latency_loss_resets_and_a_partition() throws Exception {
        int target = Integer.getInteger("chaos.acquisitions", 100_000);
        Duration cleanCap = Duration.ofSeconds(Long.getLong("chaos.clean-seconds", 200));
        try (ChaosReport.Scenario sc = ChaosRun.report()
                .scenario(
                        "Lease safety and Redis latency, loss, resets and partition (two nodes, clocks 6 s apart)",
                        "Contended acquire/release of " + RESOURCES.size() + " overlapping resources (a zone and"
                                + " names inside it) by " + CLIENTS + " agents, half on each node, each node"
                                + " talking to Redis through its own fault proxy; redis-timeout "
                                + REDIS_TIMEOUT.toMillis()
                                + " ms, redis-request-budget " + REQUEST_BUDGET.toMillis()
                                + " ms, lease TTL " + TTL.toSeconds() + " s. Proves: no two valid grants of"
                                + " overlapping resources overlap in time, fencing tokens only grow, requests end within"
                                + " their one Redis budget plus a margin with 503 + Retry-After when Redis is too slow, nothing"
                                + " acknowledged is lost, and the hub recovers by itself.")) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                tokens.add(nodeA.agent("racer-" + i));
            }
            String chatter = nodeA.agent("chatter");
            List<Phase> phases = List.of(
                    new Phase("no fault (warm-up)", () -> {}, Duration.ofSeconds(5)),
                    new Phase("latency 10 ms + 5 ms jitter", () -> both(p -> p.latency(ms(10), ms(5))), secs(6)),
                    new Phase("latency 100 ms + 50 ms jitter", () -> both(p -> p.latency(ms(100), ms(50))), secs(6)),
                    new Phase("latency 400 ms + 50 ms jitter", () -> both(p -> p.latency(ms(400), ms(50))), secs(6)),
                    new Phase("latency 1 s + 200 ms jitter", () -> both(p -> p.latency(secs(1), ms(200))), secs(5)),
                    new Phase("latency 5 s", () -> both(p -> p.latency(secs(5), Duration.ZERO)), secs(6)),
                    new Phase("healed", () -> both(FaultProxy::heal), secs(5)),
                    new Phase(
                            "loss 5% (300 ms retransmit) + 5 ms",
                            () -> both(p -> p.latency(ms(5), ms(2)).loss(0.05, ms(300))), secs(6)),
                    new Phase("resets 0.5% of chunks", () -> both(p -> p.heal().resets(0.005)), secs(6)),
                    new Phase(
                            "partition: node A cut from Redis",
                            () -> {
                                both(FaultProxy::heal);
                                proxyA.cut();
                            },
                            secs(5)),
                    new Phase("healed, until the target count", () -> both(FaultProxy::heal), cleanCap));
            List<Stats> done = new ArrayList<>();
            List<Stats> planned = phases.stream().map(p -> new Stats(p.name())).toList();
            Traffic traffic = new Traffic(tokens, chatter, planned.getFirst());
            try (traffic) {
                for (int i = 0; i < phases.size(); i++) {
                    Phase phase = phases.get(i);
                    Stats s = planned.get(i);
                    traffic.stats = s;
                    phase.apply().run();
                    sc.inject(phase.name() + " (" + proxyA.faults().describe() + " / "
                            + proxyB.faults().describe() + ")");
                    long end = System.nanoTime() + phase.length().toNanos();
                    boolean last = phase == phases.getLast();
                    while (System.nanoTime() < end && !(last && traffic.total.sum() >= target)) {
                        Thread.sleep(100);
                    }
                    done.add(s);
                }
            }
            both(FaultProxy::heal);
            sc.inject("traffic stopped");
            done.forEach(s -> sc.figure("phase", s.line()));
            long attempts = done.stream().mapToLong(s -> s.attempts.sum()).sum();
            sc.figure("contended acquisitions", String.format(Locale.ROOT, "%,d", attempts));
            sc.figure("proxy resets", proxyA.resets() + proxyB.resets());

            List<String> unexpected =
                    done.stream().flatMap(s -> s.unexpected.stream().limit(3)).toList();
            List<String> hung = done.stream()
                    .flatMap(s -> s.unexpected.stream().filter(u -> u.contains(" after it was sent")))
                    .limit(5)
                    .toList();
            sc.check(
                    "no call hangs: every acquire, release, status read and chat post ends within " + HUNG.toSeconds()
                            + " s of being sent, in every phase",
                    hung.isEmpty(),
                    hung.toString());
            sc.check(
                    "every client loop ran until the traffic stopped (none died of an exception)",
                    traffic.died.isEmpty(),
                    traffic.died.stream().limit(3).toList().toString());
            sc.check(
                    "every refusal is 409, or 503 with Retry-After and problem+json",
                    unexpected.stream().allMatch(u -> u.contains(" after it was sent")),
                    unexpected.toString());
            // Phases 2 to 5: Redis slow (100 ms and 400 ms one way, each call under the timeout) and slower than the
            // timeout (1 s and 5 s): every request ends within its one budget, however many calls it makes.
            List<Stats> slowPhases = done.subList(2, 6);
            Stats slowest = slowPhases.stream()
                    .max(java.util.Comparator.comparingLong(st -> st.slowestNanos.get()))
                    .orElseThrow();
            sc.figure(
                    "slowest request with Redis slow",
                    slowest.slowestNanos.get() / 1_000_000 + " ms (" + slowest.slowestCall + ", " + slowest.name + ")");
            sc.check(
                    "with Redis slow, every request (acquire, release, a status read of about ten Redis calls) ends"
                            + " within redis-request-budget + 2 s (" + REQUEST_BOUND.toMillis() + " ms)",
                    slowest.slowestNanos.get() <= REQUEST_BOUND.toNanos(),
                    slowest.line());
            Stats nearTimeout = done.get(3);
            sc.check(
                    "with Redis just under the timeout, multi-call requests are cut by the budget (503), not stretched",
                    nearTimeout.readsRefused.sum() > 0 && nearTimeout.unexpected.isEmpty(),
                    nearTimeout.readsRefused.sum() + " of " + nearTimeout.reads.sum() + " status reads refused; "
                            + nearTimeout.line());
            Stats slow = done.get(5);
            sc.check(
                    "with 5 s of latency, calls are refused with 503 (none granted)",
                    slow.unavailable.sum() > 0 && slow.granted.sum() == 0,
                    slow.line());
            Stats partition = done.get(9);
            sc.check("during the partition node B keeps granting", partition.granted.sum() > 0, partition.line());

            awaitHealthy(sc, nodeA);
            awaitHealthy(sc, nodeB);
            long maxSeen = history.grants().stream()
                    .mapToLong(GrantHistory.Grant::token)
                    .max()
                    .orElse(0);
            TestHub.Response fresh =
                    nodeB.post(tokens.get(1), "/api/leases", Map.of("resource", "after-chaos", "ttlSeconds", 5));
            sc.check(
                    "after the faults a new grant's token is above every token seen (tokens never go backwards)",
                    fresh.status() == 201 && fresh.json().path("token").asLong() > maxSeen,
                    fresh.status() + ", token " + fresh.json().path("token").asLong() + " > " + maxSeen);

            LeaseSafetyChecker.Verdict verdict = LeaseSafetyChecker.check(history.grants());
            sc.figure("grants recorded", history.size());
            sc.figure("checker", verdict.summary());
            sc.check("lease safety: mutual exclusion and fencing", verdict.safe(), verdict.summary());
            sc.check(
                    "at least " + target + " contended acquisitions",
                    attempts >= target,
                    String.format(Locale.ROOT, "%,d", attempts));

            Set<String> stored = readChannel(nodeB, chatter, "chaos");
            Set<String> lost = new TreeSet<>(traffic.acknowledged);
            lost.removeAll(stored);
            sc.figure("chat messages acknowledged during the faults", traffic.acknowledged.size());
            sc.check(
                    "nothing acknowledged is lost",
                    lost.isEmpty(),
                    lost.stream().limit(5).toList().toString());
        }
    }

    private static void both(Consumer<FaultProxy> f) {
        f.accept(proxyA);
        f.accept(proxyB);
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static Duration secs(long s) {
        return Duration.ofSeconds(s);
    }

    private static void awaitHealthy(ChaosReport.Scenario sc, TestHub node) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(20).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline
                && (status = node.get(null, "/api/health").status()) != 200) {
            Thread.sleep(50);
        }
        sc.check(
                "node " + nodeName(node) + " recovers by itself when the fault ends",
                status == 200,
                "health " + status + " after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static Set<String> readChannel(TestHub node, String token, String channel) {
        Set<String> stored = ConcurrentHashMap.newKeySet();
        long after = 0;
        while (true) {
            TestHub.Response page = node.get(token, "/api/chat?channel=" + channel + "&limit=500&after=" + after);
            if (page.json().path("messages").isEmpty()) {
                return stored;
            }
            page.json().path("messages").forEach(m -> stored.add(m.path("text").asString()));
            after = page.json().path("nextCursor").asLong();
        }
    }

    @Test
    @Order(2)
    void agents_of_a_node_cut_from_redis_fail_over_to_the_other_and_the_nodes_converge_after_the_heal()
            throws Exception {
        try (ChaosReport.Scenario sc = ChaosRun.report()
                .scenario(
                        "Network partition: one node cut from Redis, clients fail over",
                        "Node A is cut from Redis (its proxy forwards nothing) while node B keeps serving. Agents"
                                + " use hub-client with both URLs, A first. Proves: A answers 503 + Retry-After, the"
                                + " clients' calls succeed through B, no lease is granted twice (checker), and after"
                                + " the heal A serves the leases, presence and messages written through B.")) {
            List<HubClient> clients = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String token = nodeA.agent("mover-" + i);
                clients.add(HubClient.builder()
                        .urls(nodeA.url(), nodeB.url())
                        .token(token)
                        .requestTimeout(Duration.ofSeconds(10))
                        .build());
            }
            String viewer = nodeA.agent("watcher");
            proxyA.cut();
            sc.inject("node A cut from Redis");
            long started = System.nanoTime();
            TestHub.Response direct = nodeA.post(viewer, "/api/chat", Map.of("channel", "partition", "text", "via A"));
            sc.check(
                    "node A refuses writes with 503 + Retry-After",
                    direct.status() == 503 && direct.header("Retry-After") != null,
                    direct.status() + " after " + (System.nanoTime() - started) / 1_000_000 + " ms");

            GrantHistory partitionHistory = new GrantHistory();
            AtomicLong ok = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Set<String> posted = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                int c = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    HubClient client = clients.get(c);
                    for (int round = 0; round < 25; round++) {
                        String resource = "partition/" + (round % 3);
                        long sent = partitionHistory.now();
                        try {
                            Leases.Lease l = client.leases().grant(resource, Duration.ofSeconds(2), null);
                            long got = partitionHistory.now();
                            long releaseAt = partitionHistory.now();
                            partitionHistory.record(
                                    resource,
                                    "mover-" + c,
                                    l.token(),
                                    got,
                                    Math.min(GrantHistory.validUntil(sent, Duration.ofSeconds(2)), releaseAt),
                                    "either");
                            client.leases().release(resource, l.token());
                            ok.incrementAndGet();
                        } catch (HubProblem.Conflict e) {
                            conflicts.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                        try {
                            String text = "mover-" + c + " round " + round;
                            client.messages().post("partition", text);
                            posted.add(text);
                            client.agents().heartbeat("busy", "partition round " + round, null);
                        } catch (RuntimeException e) {
                            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(90));
            }
            sc.figure("grants through fail-over", ok.get());
            sc.figure("conflicts (409)", conflicts.get());
            sc.figure("messages posted through fail-over", posted.size());
            sc.check(
                    "every client call succeeds through node B (fail-over on 503)",
                    failures.isEmpty() && ok.get() > 0,
                    failures.stream().limit(3).toList().toString());
            LeaseSafetyChecker.Verdict verdict = LeaseSafetyChecker.check(partitionHistory.grants());
            sc.check("no lease granted twice during the partition", verdict.safe(), verdict.summary());

            // A lease taken through B during the partition, to be seen through A after the heal.
            Leases.Lease held = clients.getFirst().leases().grant("partition/held", Duration.ofSeconds(60), null);
            proxyA.heal();
            sc.inject("healed");
            awaitHealthy(sc, nodeA);
            TestHub.Response leases = nodeA.get(viewer, "/api/leases?holder=mover-0");
            sc.check(
                    "after the heal node A shows the lease granted through B",
                    leases.raw().body().contains("partition/held")
                            && leases.raw().body().contains(Long.toString(held.token())),
                    leases.raw().body());
            Set<String> seen = readChannel(nodeA, viewer, "partition");
            sc.check(
                    "after the heal node A serves every message posted through B",
                    seen.containsAll(posted),
                    seen.size() + " of " + posted.size());
            String presence = nodeA.get(viewer, "/api/agents/mover-1")
                    .json()
                    .path("agent")
                    .path("presence")
                    .asString();
            sc.check("after the heal node A shows presence written through B", presence.equals("online"), presence);
        }
    }
}
