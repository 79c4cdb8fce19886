package io.agenthub.server;

import io.agenthub.chaos.ChaosReport;
import io.agenthub.chaos.GrantHistory;
import io.agenthub.chaos.LeaseSafetyChecker;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Leases;
import io.agenthub.store.redis.LocalRedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The chaos suite's process scenarios: simulated agents ({@link ChaosAgent}, each an OS process) killed with SIGKILL
 * mid-task, and a hub node ({@link HubProcess}) killed with SIGKILL under load. Properties and figures go to the chaos
 * report ({@link ChaosRun}).
 */
class ChaosProcessesTest {
    private static final long LEASE_TTL = 15;
    private static final long CLAIM_TTL = 4;
    private static final Duration MARGIN = Duration.ofMillis(2500);
    private static final java.nio.file.Path STDERR = java.nio.file.Path.of("target", "chaos", "agents.stderr.log");

    /** One running agent process and what it last said. */
    private static final class AgentProc {
        final String id;
        final String token;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile String[] working;
        volatile long workingSince;

        AgentProc(String id, String token, Process process, Map<String, List<String>> done) {
            this.id = id;
            this.token = token;
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                        String[] w = line.split(" ");
                        if (w[0].equals("WORKING")) {
                            working = w;
                            workingSince = System.nanoTime();
                        } else if (w[0].equals("DONE")) {
                            working = null;
                            done.computeIfAbsent(w[1], k -> new CopyOnWriteArrayList<>())
                                    .add(id + "@" + process.pid());
                        }
                    }
                } catch (java.io.IOException e) {
                    // The process died.
                }
            });
        }

        String hotStart() {
            return lines.stream()
                    .filter(l -> l.startsWith("HOTSTART"))
                    .findFirst()
                    .orElse("");
        }
    }

    private record Kill(String agent, String task, long leaseToken, long claimToken, long atNanos) {}

    private static AgentProc launch(TestHub hub, String id, String token, Map<String, List<String>> done)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-Xmx64m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChaosAgent.class.getName(),
                        hub.url(),
                        token,
                        Long.toString(LEASE_TTL),
                        Long.toString(CLAIM_TTL)))
                .redirectError(ProcessBuilder.Redirect.appendTo(STDERR.toFile()))
                .start();
        return new AgentProc(id, token, p, done);
    }

    @Test
    void agents_killed_with_sigkill_mid_task_lose_their_leases_in_bound_and_their_work_is_taken_over_once()
            throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "heartbeat-interval", "3s",
                "missed-beats", "2",
                "offline-after", "60s",
                "stale-lease-grace", "1s",
                "reaper-interval", "200ms",
                "rate-limit-writes", "0",
                "rate-limit-reads", "0"));
        int agents = 4;
        int tasks = 24;
        int kills = 3;
        try (TestHub hub = new TestHub(settings, Clock.systemUTC());
                ChaosReport.Scenario sc = ChaosRun.report()
                        .scenario(
                                "Random agent shutdown (SIGKILL, processes)",
                                agents + " simulated agent processes in pool workers take " + tasks + " tasks (claim"
                                        + " TTL " + CLAIM_TTL + " s, a lease work/<task> of " + LEASE_TTL + " s,"
                                        + " a checkpoint per step); " + kills + " times a random agent is killed with"
                                        + " SIGKILL mid-task and restarted once its handoff is out. Heartbeat 3 s x 2"
                                        + " missed beats, stale-lease-grace 1 s. Proves: the dead agent's lease is"
                                        + " free for others within its TTL (the documented bound for"
                                        + " reaped-leases=handoff) plus a margin, its task is requeued and done by a"
                                        + " live agent exactly once, its checkpoint goes to the pool in a reaped"
                                        + " handoff, its old claim and lease tokens are fenced off, and the restarted"
                                        + " agent's hot-start names its last checkpoint.")) {
            Map<String, List<String>> done = new ConcurrentHashMap<>();
            Map<String, String> tokens = new HashMap<>();
            for (int i = 0; i < agents; i++) {
                tokens.put("worker-" + i, hub.agent("worker-" + i, Map.of("pool", "workers")));
            }
            for (int i = 0; i < tasks; i++) {
                hub.post(
                        TestHub.ADMIN,
                        "/api/tasks",
                        Map.of("title", "chaos task " + i, "pool", "workers", "maxAttempts", 10));
            }
            Map<String, AgentProc> procs = new ConcurrentHashMap<>();
            for (var e : tokens.entrySet()) {
                procs.put(e.getKey(), launch(hub, e.getKey(), e.getValue(), done));
            }
            Random random = new Random(20);
            List<Kill> killed = new CopyOnWriteArrayList<>();
            List<Thread> followUps = new ArrayList<>();
            ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
            Map<String, Long> leaseFreeMillis = new ConcurrentHashMap<>();
            Map<String, String> restartedHotStart = new ConcurrentHashMap<>();
            Set<String> down = ConcurrentHashMap.newKeySet();
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (killed.size() < kills && System.nanoTime() < deadline) {
                Thread.sleep(1500 + random.nextInt(1500));
                // Mid-task for sure: between 200 ms and 1 s after it said WORKING, with 8 steps of at least 150 ms
                // ahead of it before it completes.
                List<AgentProc> candidates = List.of();
                for (int poll = 0; poll < 200 && candidates.isEmpty(); poll++) {
                    candidates = procs.values().stream()
                            .filter(p -> !down.contains(p.id) && p.working != null)
                            .filter(p -> {
                                long age = System.nanoTime() - p.workingSince;
                                return age > 200_000_000L && age < 1_000_000_000L;
                            })
                            .toList();
                    if (candidates.isEmpty()) {
                        Thread.sleep(50);
                    }
                }
                if (candidates.isEmpty()) {
                    continue;
                }
                AgentProc victim = candidates.get(random.nextInt(candidates.size()));
                String[] w = victim.working;
                victim.process.destroyForcibly();
                Kill k = new Kill(victim.id, w[1], Long.parseLong(w[2]), Long.parseLong(w[3]), System.nanoTime());
                killed.add(k);
                down.add(victim.id);
                sc.inject("SIGKILL " + victim.id + " (pid " + victim.process.pid() + ") working on " + k.task());
                followUps.add(Thread.ofVirtual().start(() -> {
                    try {
                        followUp(hub, k, victim, procs, done, leaseFreeMillis, restartedHotStart, sc);
                    } catch (Exception | AssertionError e) {
                        broken.add(k.agent() + ": " + e.getMessage());
                    } finally {
                        down.remove(victim.id);
                    }
                }));
            }
            for (Thread t : followUps) {
                t.join(Duration.ofSeconds(60));
            }
            sc.check(
                    "the agents were killed " + kills + " times mid-task",
                    killed.size() == kills,
                    killed + "; agents said "
                            + procs.values().stream()
                                    .map(p -> p.id
                                            + (p.process.isAlive() ? " (alive): " : " (dead): ")
                                            + p.lines.subList(Math.max(0, p.lines.size() - 2), p.lines.size()))
                                    .toList()
                            + "; their errors are in " + STDERR);
            sc.check("every killed agent was followed up", broken.isEmpty(), broken.toString());

            long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (completed(hub) < tasks && System.nanoTime() < settle) {
                Thread.sleep(250);
            }
            for (AgentProc p : procs.values()) {
                p.process.destroyForcibly();
                p.process.waitFor(10, TimeUnit.SECONDS);
            }
            sc.figure("tasks done", completed(hub) + " of " + tasks);
            sc.figure("lease free after the kill (ms), per kill", leaseFreeMillis);
            sc.check("every task was completed", completed(hub) == tasks, completed(hub) + " of " + tasks);
            Map<String, List<String>> twice = new HashMap<>();
            done.forEach((task, by) -> {
                if (by.size() > 1) {
                    twice.put(task, by);
                }
            });
            sc.check("no task was completed twice by live agents", twice.isEmpty(), twice.toString());
            for (Kill k : killed) {
                JsonNode task = hub.get(TestHub.ADMIN, "/api/tasks/" + k.task()).json();
                sc.check(
                        "task " + k.task() + " of killed " + k.agent() + " was requeued and then done",
                        task.path("task").path("state").asString().equalsIgnoreCase("done")
                                && (task.path("history").toString().contains("requeued")
                                        || task.path("history").toString().contains("expired")),
                        task.path("task").path("state").asString() + ", history " + task.path("history"));
                TestHub.Response zombie = hub.post(
                        tokens.get(k.agent()),
                        "/api/tasks/" + k.task() + "/complete",
                        Map.of("token", k.claimToken(), "result", "zombie"));
                sc.check(
                        "the killed attempt's claim token is fenced off (" + k.task() + ")",
                        zombie.status() == 409,
                        "complete with the old claim answered " + zombie.status());
                TestHub.Response oldLease = hub.post(
                        tokens.get(k.agent()),
                        "/api/leases/release",
                        Map.of("resource", "work/" + k.task(), "token", k.leaseToken()));
                sc.check(
                        "the killed attempt's lease token is fenced off (" + k.task() + ")",
                        oldLease.status() == 409,
                        "release with the old token answered " + oldLease.status());
            }
        }
    }

    private static long completed(TestHub hub) {
        return hub.get(TestHub.ADMIN, "/api/tasks?state=done&limit=200")
                .json()
                .path("tasks")
                .size();
    }

    private static void followUp(
            TestHub hub,
            Kill k,
            AgentProc victim,
            Map<String, AgentProc> procs,
            Map<String, List<String>> done,
            Map<String, Long> leaseFreeMillis,
            Map<String, String> restartedHotStart,
            ChaosReport.Scenario sc)
            throws Exception {
        victim.process.waitFor(10, TimeUnit.SECONDS);
        String resource = "work/" + k.task();
        long bound = Duration.ofSeconds(LEASE_TTL).plus(MARGIN).toNanos();
        boolean handedOff = false;
        long freeAt = 0;
        while (System.nanoTime() - k.atNanos() < bound + Duration.ofSeconds(5).toNanos()
                && (freeAt == 0 || !handedOff)) {
            if (!handedOff) {
                JsonNode handoffs =
                        hub.get(TestHub.ADMIN, "/api/handoffs?limit=100").json().path("handoffs");
                for (JsonNode h : handoffs) {
                    if (h.path("from").asString().equals(k.agent())
                            && h.path("kind").asString().equals("reaped")
                            && h.path("to").asString().equals("pool:workers")
                            && hub.get(
                                            TestHub.ADMIN,
                                            "/api/handoffs/" + h.path("id").asString())
                                    .raw()
                                    .body()
                                    .contains("finish " + k.task())) {
                        handedOff = true;
                    }
                }
            }
            if (freeAt == 0) {
                JsonNode held = hub.get(TestHub.ADMIN, "/api/leases?holder=" + k.agent())
                        .json()
                        .path("leases");
                boolean stillHeld = false;
                for (JsonNode l : held) {
                    stillHeld |= l.path("resource").asString().equals(resource)
                            && l.path("token").asLong() == k.leaseToken();
                }
                if (!stillHeld) {
                    freeAt = System.nanoTime();
                }
            }
            Thread.sleep(100);
        }
        long freeMs = freeAt == 0 ? -1 : (freeAt - k.atNanos()) / 1_000_000;
        leaseFreeMillis.put(k.agent() + "/" + k.task(), freeMs);
        sc.inject(k.agent() + "'s lease " + resource + " free after " + freeMs + " ms; reaped handoff with its"
                + " checkpoint: " + handedOff);
        sc.check(
                "the lease of killed " + k.agent() + " is free within the lease TTL + " + MARGIN.toMillis() + " ms",
                freeAt != 0 && freeAt - k.atNanos() <= bound,
                freeMs + " ms");
        sc.check(
                "killed " + k.agent() + "'s checkpoint (naming " + k.task() + ") went to its pool in a reaped handoff",
                handedOff,
                "");
        AgentProc again = launch(hub, k.agent(), victim.token, done);
        procs.put(k.agent(), again);
        sc.inject("restarted " + k.agent() + " (pid " + again.process.pid() + ")");
        // A JVM start on a busy machine can take long; the loop ends as soon as the agent printed its hot-start.
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (again.hotStart().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        restartedHotStart.put(k.agent(), again.hotStart());
        sc.check(
                "restarted " + k.agent() + "'s hot-start names its last checkpoint (" + k.task() + ")",
                again.hotStart().contains(k.task() + " step"),
                again.hotStart().length() > 200 ? again.hotStart().substring(0, 200) + "…" : again.hotStart());
    }

    /** A hub process; a few attempts, as a busy machine may miss the Redis connect timeout at start. */
    private static HubProcess startNode(Map<String, String> settings) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return HubProcess.start(settings);
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Test
    void killing_one_of_two_hub_nodes_under_load_moves_its_clients_to_the_other_and_loses_nothing_acknowledged()
            throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings = new HashMap<>(Map.of(
                "redis-url", redis.url(),
                "redis-prefix", redis.freshPrefix(),
                "rate-limit-writes", "0",
                "rate-limit-reads", "0",
                "rate-limit-chat", "0"));
        // Both nodes start at once: a JVM start is most of this scenario's time.
        CompletableFuture<HubProcess> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return startNode(settings);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HubProcess victim = startNode(settings);
        try (HubProcess survivor = starting.get(120, TimeUnit.SECONDS);
                ChaosReport.Scenario sc = ChaosRun.report()
                        .scenario(
                                "Hub node kill -9 under load",
                                "Two hub processes on one Redis; 8 agents with hub-client and both URLs (half list"
                                        + " the victim first) post chat and take leases; the victim is killed with"
                                        + " SIGKILL. Proves: its clients move to the other node and keep working,"
                                        + " every acknowledged message is there, and no lease was granted twice.")) {
            List<HubClient> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String token = victim.agent("loader-" + i);
                clients.add(HubClient.builder()
                        .urls(
                                i % 2 == 0
                                        ? new String[] {victim.url(), survivor.url()}
                                        : new String[] {survivor.url(), victim.url()})
                        .token(token)
                        .requestTimeout(Duration.ofSeconds(10))
                        .build());
            }
            String reader = survivor.agent("reader");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean afterKill = new AtomicBoolean();
            AtomicLong okBefore = new AtomicLong();
            AtomicLong okAfter = new AtomicLong();
            AtomicLong ambiguous = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Map<Integer, AtomicLong> okAfterByClient = new ConcurrentHashMap<>();
            GrantHistory history = new GrantHistory();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                int c = i;
                okAfterByClient.put(c, new AtomicLong());
                threads.add(Thread.ofVirtual().start(() -> {
                    HubClient client = clients.get(c);
                    for (int n = 0; running.get(); n++) {
                        String text = "loader-" + c + " message " + n;
                        try {
                            client.messages().post("kill", text);
                            acknowledged.add(text);
                            String resource = "kill/" + (n % 4);
                            long sent = history.now();
                            Leases.Lease l = client.leases().grant(resource, Duration.ofSeconds(5), null);
                            long got = history.now();
                            history.record(
                                    resource,
                                    "loader-" + c,
                                    l.token(),
                                    got,
                                    Math.min(GrantHistory.validUntil(sent, Duration.ofSeconds(5)), history.now()),
                                    "either");
                            client.leases().release(resource, l.token());
                            (afterKill.get() ? okAfter : okBefore).incrementAndGet();
                            if (afterKill.get()) {
                                okAfterByClient.get(c).incrementAndGet();
                            }
                        } catch (HubProblem.Conflict e) {
                            // Another loader holds it.
                        } catch (HubProblem.Unreachable e) {
                            // In flight on the killed node: may or may not have been applied, never acknowledged.
                            ambiguous.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }));
            }
            Thread.sleep(5000);
            victim.kill();
            afterKill.set(true);
            sc.inject("SIGKILL the victim node");
            Thread.sleep(5000);
            running.set(false);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
            sc.inject("load stopped");
            sc.figure("rounds before the kill", okBefore.get());
            sc.figure("rounds after the kill", okAfter.get());
            sc.figure("calls in flight on the victim (not acknowledged)", ambiguous.get());
            sc.check(
                    "no unexpected failures",
                    failures.isEmpty(),
                    failures.stream().limit(3).toList().toString());
            List<Integer> stuck = okAfterByClient.entrySet().stream()
                    .filter(e -> e.getValue().get() == 0)
                    .map(Map.Entry::getKey)
                    .toList();
            sc.check(
                    "every client kept working after the kill (moved to the survivor)",
                    stuck.isEmpty(),
                    "stuck: " + stuck);
            Set<String> stored = ConcurrentHashMap.newKeySet();
            long after = 0;
            while (true) {
                TestHub.Response page = survivor.get(reader, "/api/chat?channel=kill&limit=500&after=" + after);
                if (page.json().path("messages").isEmpty()) {
                    break;
                }
                page.json()
                        .path("messages")
                        .forEach(m -> stored.add(m.path("text").asString()));
                after = page.json().path("nextCursor").asLong();
            }
            long lost = acknowledged.stream().filter(t -> !stored.contains(t)).count();
            sc.figure("acknowledged messages", acknowledged.size());
            sc.check("nothing acknowledged is lost", lost == 0, lost + " lost");
            LeaseSafetyChecker.Verdict verdict = LeaseSafetyChecker.check(history.grants());
            sc.check("no lease granted twice across the kill", verdict.safe(), verdict.summary());
            sc.figure("checker", verdict.summary());
            sc.figure("rounds per second after the kill", String.format(Locale.ROOT, "%.0f", okAfter.get() / 5.0));
        } finally {
            victim.close();
        }
    }
}
