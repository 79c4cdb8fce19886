package io.agenthub.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The work queue's benchmark ({@code scripts/bench-tasks.sh} runs it): two parts, each in rounds.
 *
 * <ul>
 *   <li>{@code throughput}: {@code --clients} agents claim ({@code POST /api/tasks/claim}, no wait) and complete
 *       ({@code POST /api/tasks/{id}/complete}) back to back. {@code --tasks} tasks are created beforehand with the
 *       admin token (creating is slower than claiming, so the queue runs dry within the window), so that the window
 *       measures claims and completions only. The headline is the rate of completed pairs from the start of the window
 *       until the first claim found the queue empty (204), in 100 ms steps: the rate while there was work to take.
 *   <li>{@code idle}: {@code --agents} agents long-poll with nothing to get, alternating between the work queue
 *       ({@code POST /api/tasks/claim?wait=W}) and the inbox ({@code GET /api/inbox?wait=W}), round after round in the
 *       order ABBA, so that both meet the same moments of a shared machine. Each agent's first poll waits a random
 *       part of W, so the polls return spread evenly from the start of the window (the steady state of agents that
 *       started at different times). A light probe runs alongside: heartbeats at {@code --probe-rate} per second,
 *       paced, timed from their schedule. Reported per window: the hub's CPU time per second and the probe's p99;
 *       then the task/inbox ratios.
 * </ul>
 */
@Command(
        name = "task-bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark of the work queue on a live hub. Parts: throughput, idle (default: both).")
public final class TaskBench implements Callable<Integer> {
    static final String POOL = "default";
    private static final long STEP_NANOS = 100_000_000L;

    @Option(names = "--url", description = "Hub base URL, loopback only (default: $HUB_URL or http://127.0.0.1:7700).")
    String url;

    @Option(names = "--token", description = "Admin token (default: $HUB_ADMIN_TOKEN).")
    String token;

    @Option(names = "--hub-pid", description = "The hub's process id, to measure its CPU time (Linux).")
    String hubPid;

    @Option(names = "--clients", defaultValue = "64", description = "Claiming agents of throughput (default 64).")
    int clients;

    @Option(names = "--agents", defaultValue = "1000", description = "Long-polling agents of idle (default 1000).")
    int agents;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per window (default 20).")
    double seconds;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            description = "throughput: unmeasured seconds before each window (default 1).")
    double warmup;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of each part (default 2).")
    int rounds;

    @Option(
            names = "--prewarm",
            defaultValue = "10",
            description = "Seconds of unmeasured claim+complete load first, for a fresh hub's JIT (default 10).")
    double prewarm;

    @Option(names = "--wait", defaultValue = "25", description = "idle: the long-polls' wait in seconds (default 25).")
    int wait;

    @Option(
            names = "--ramp",
            defaultValue = "5",
            description = "idle: seconds over which the long-polls are opened before each window (default 5).")
    double ramp;

    @Option(
            names = "--probe-rate",
            defaultValue = "100",
            description = "idle: heartbeats per second of the probe, from 50 of the agents (default 100).")
    int probeRate;

    @Option(names = "--timeout", defaultValue = "10", description = "Per-request timeout in seconds (default 10).")
    int timeoutSeconds;

    @Option(
            names = "--tasks",
            defaultValue = "12000",
            description = "throughput: tasks queued before each round, leftovers included (default 12000).")
    int tasks;

    @Option(names = "--prefix", description = "Prefix of the simulated agents' ids (default tb-<random>).")
    String prefix;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;

    @Option(names = "--meta", description = "A key=value line for the report header. Repeatable.")
    Map<String, String> meta = new LinkedHashMap<>();

    @Parameters(arity = "0..*", paramLabel = "PART", description = "throughput, idle (default: both, in that order).")
    List<String> parts = new ArrayList<>();

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new TaskBench()).setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("task-bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        List<String> selected = parts.isEmpty() ? List.of("throughput", "idle") : parts;
        for (String p : selected) {
            require(p.equals("throughput") || p.equals("idle"), "Unknown part '" + p + "'; choose throughput or idle");
        }
        require(clients >= 1 && clients <= 1000, "--clients must be between 1 and 1000");
        require(agents >= 50 && agents <= 10_000, "--agents must be between 50 and 10000");
        require(rounds >= 1 && rounds <= 20, "--rounds must be between 1 and 20");
        require(seconds > 0 && seconds <= 600, "--seconds must be between 0 and 600");
        require(wait >= 1 && wait <= 60, "--wait must be between 1 and 60");
        require(probeRate >= 1 && probeRate <= 5000, "--probe-rate must be between 1 and 5000");
        String admin = token != null ? token : System.getenv("HUB_ADMIN_TOKEN");
        require(admin != null && !admin.isBlank(), "Give the admin token with --token or HUB_ADMIN_TOKEN");
        List<URI> urls =
                LoadBench.urls(url != null ? url : System.getenv().getOrDefault("HUB_URL", "http://127.0.0.1:7700"));
        require(urls.size() == 1, "--url takes one hub node");
        String runId = Long.toString(
                ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36);
        Settings s = new Settings(
                urls,
                seconds,
                warmup,
                clients,
                agents,
                0,
                false,
                "bench",
                2,
                Duration.ofSeconds(timeoutSeconds),
                ramp,
                runId,
                LoadBench.hubPids(hubPid),
                true,
                Api.HUB);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        header.put("hub", urls.getFirst().toString());
        header.put(
                "options",
                String.format(
                        Locale.ROOT,
                        "--clients %d --agents %d --seconds %s --rounds %d --wait %d --probe-rate %d --prewarm %s",
                        clients,
                        agents,
                        seconds,
                        rounds,
                        wait,
                        probeRate,
                        prewarm));
        header.putAll(meta);
        List<WorkloadResult> results = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        try (HubHttp adminHttp = new HubHttp(urls, 1, false)) {
            Response health = adminHttp.send(0, adminHttp.get("/api/health", null, Duration.ofSeconds(5)));
            require(health.is(200), "The hub at " + urls.getFirst() + " is not healthy (" + health.describe() + ")");
            Roster roster = new Roster(adminHttp, admin, null, prefix != null ? prefix : "tb-" + runId);
            if (selected.contains("throughput")) {
                if (prewarm > 0) {
                    System.err.printf("Pre-warming with claim+complete for %.0f s (not measured)...%n", prewarm);
                    throughput(s, roster, admin, 0, prewarm, Math.max(500, (int) (prewarm * 200)), 0);
                }
                List<Double> perRound = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    Round round = throughput(s, roster, admin, warmup, seconds, tasks, r);
                    results.add(round.result);
                    perRound.add(round.rate);
                    System.err.print(Report.markdown(Map.of(), List.of(round.result)));
                }
                summary.append("Claim+complete pairs per second while tasks lasted, by round: ");
                perRound.forEach(v -> summary.append(String.format(Locale.ROOT, "%,.0f; ", v)));
                summary.append(String.format(Locale.ROOT, "median %,.0f.%n%n", median(perRound)));
            }
            if (selected.contains("idle")) {
                drain(s, roster);
                List<double[]> taskRows = new ArrayList<>();
                List<double[]> inboxRows = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    boolean tasksFirst = r % 2 == 1;
                    for (int k = 0; k < 2; k++) {
                        boolean tasks = (k == 0) == tasksFirst;
                        WorkloadResult w = idle(s, roster, tasks, r);
                        results.add(w);
                        System.err.print(Report.markdown(Map.of(), List.of(w)));
                        double[] row = {
                            number(w.facts().get("hub CPU, cores")),
                            w.ops().getFirst().p99() == null
                                    ? Double.NaN
                                    : w.ops().getFirst().p99()
                        };
                        (tasks ? taskRows : inboxRows).add(row);
                        Thread.sleep(2000);
                    }
                }
                summary.append(idleSummary(taskRows, inboxRows));
            }
        }
        System.out.print(Report.markdown(header, results));
        System.out.println();
        System.out.print(summary);
        if (json != null) {
            Report.json(json, header, results);
            System.err.println("Wrote " + json);
        }
        return 0;
    }

    /** A throughput round's result and the pairs per second from the window's start until the queue ran dry. */
    private record Round(WorkloadResult result, double rate) {}

    private Round throughput(Settings s, Roster roster, String admin, double warm, double secs, int want, int round)
            throws InterruptedException {
        List<SimAgent> agents = roster.take(s.clients());
        int queued = (int) Math.max(0, created.get() - claimed.get());
        int toCreate = Math.max(0, want - queued);
        createTasks(s, admin, toCreate);
        Window window = Window.after(warm, secs);
        OpRecorder pair = new OpRecorder("claim+complete", window);
        OpRecorder claim = new OpRecorder("claim", window);
        OpRecorder complete = new OpRecorder("complete", window);
        AtomicLong firstEmpty = new AtomicLong(Long.MAX_VALUE);
        int steps = (int) Math.ceil(secs * 10);
        AtomicLongArray completedPerStep = new AtomicLongArray(steps);
        Map<String, Object> facts = new LinkedHashMap<>();
        try (HubHttp http = s.http()) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ClosedLoop.run(agents.size(), window, i -> {
                SimAgent a = agents.get(i);
                return () -> {
                    long sent = System.nanoTime();
                    Response c = http.send(
                            a.index(),
                            http.post("/api/tasks/claim", a.token(), Map.of("ttlSeconds", 120), s.timeout()));
                    long got = System.nanoTime();
                    if (c.is(204)) {
                        firstEmpty.accumulateAndGet(got, Math::min);
                        claim.error(sent, "204: the queue ran dry (expected; the rate counts until the first)");
                        pair.error(sent, "claim: queue empty");
                        Thread.sleep(200);
                        return;
                    }
                    if (claim.record(sent, got, c, 200, false) != OpRecorder.Outcome.OK) {
                        pair.error(sent, "claim: " + c.describe());
                        return;
                    }
                    claimed.incrementAndGet();
                    String id = c.json().path("id").asString("");
                    long token = c.json().path("token").asLong();
                    Response d = http.send(
                            a.index(),
                            http.post(
                                    "/api/tasks/" + id + "/complete",
                                    a.token(),
                                    Map.of("token", token, "result", "done"),
                                    s.timeout()));
                    long end = System.nanoTime();
                    if (complete.record(got, end, d, 200, false) == OpRecorder.Outcome.OK) {
                        pair.ok(sent, end);
                        long step = (end - window.start()) / STEP_NANOS;
                        if (window.contains(sent) && step < steps) {
                            completedPerStep.incrementAndGet((int) step);
                        }
                    } else {
                        pair.error(sent, "complete: " + d.describe());
                    }
                };
            });
            facts.putAll(cpu.facts());
        }
        // Whole steps before the first empty claim: the rate while there was work to take.
        long full =
                Math.max(0, Math.min(steps, (Math.min(firstEmpty.get(), window.end()) - window.start()) / STEP_NANOS));
        long pairs = 0;
        for (int i = 0; i < full; i++) {
            pairs += completedPerStep.get(i);
        }
        double rate = full == 0 ? 0 : pairs / (full * STEP_NANOS / 1e9);
        facts.put("seconds measured before the queue ran dry", full / 10.0);
        facts.put("claim+complete pairs/s while tasks lasted", Math.round(rate));
        facts.put("tasks created before the round", toCreate);
        facts.put("tasks left queued", Math.max(0, created.get() - claimed.get()));
        facts.put("load average at end", loadAverage());
        WorkloadResult result = new WorkloadResult(
                round == 0 ? "tasks pre-warm" : "tasks round " + round,
                s.clients() + " agents claim+complete, pool " + POOL,
                window.seconds(),
                List.of(pair.stats(), claim.stats(), complete.stats()),
                facts);
        return new Round(result, rate);
    }

    /** Creates {@code n} tasks with the admin token, 32 at a time; fails the run on the first refusal. */
    private void createTasks(Settings s, String admin, int n) throws InterruptedException {
        if (n == 0) {
            return;
        }
        long t0 = System.nanoTime();
        Semaphore slots = new Semaphore(32);
        AtomicLong failures = new AtomicLong();
        String[] firstFailure = {null};
        try (HubHttp http = s.http();
                ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                slots.acquire();
                vt.submit(() -> {
                    try {
                        Response r = http.send(
                                k,
                                http.post(
                                        "/api/tasks",
                                        admin,
                                        Map.of("title", "bench task " + k, "body", "benchmark work", "pool", POOL),
                                        Duration.ofSeconds(30)));
                        if (r.is(201)) {
                            created.incrementAndGet();
                        } else if (failures.incrementAndGet() == 1) {
                            firstFailure[0] = r.describe();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + n + " task creations failed, first: "
                    + firstFailure[0] + ". Raise task-queue-max and the rate limits as scripts/bench-tasks.sh does.");
        }
        System.err.printf("Created %d tasks in %.1f s.%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /** Claims and completes whatever is still queued (all clients at once), so that idle's long-polls find nothing. */
    private void drain(Settings s, Roster roster) throws InterruptedException {
        List<SimAgent> agents = roster.take(s.clients());
        AtomicLong drained = new AtomicLong();
        long t0 = System.nanoTime();
        try (HubHttp http = s.http();
                ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SimAgent a : agents) {
                vt.submit(() -> {
                    for (int miss = 0; miss < 2; ) {
                        Response c =
                                http.send(a.index(), http.post("/api/tasks/claim", a.token(), Map.of(), s.timeout()));
                        if (!c.is(200)) {
                            miss++;
                            continue;
                        }
                        http.send(
                                a.index(),
                                http.post(
                                        "/api/tasks/" + c.json().path("id").asString("") + "/complete",
                                        a.token(),
                                        Map.of("token", c.json().path("token").asLong(), "result", "drained"),
                                        s.timeout()));
                        drained.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        System.err.printf(
                "Drained %d leftover tasks in %.1f s before the long-polls.%n",
                drained.get(), (System.nanoTime() - t0) / 1e9);
    }

    private WorkloadResult idle(Settings s, Roster roster, boolean tasks, int round) throws InterruptedException {
        List<SimAgent> pollers = roster.take(agents);
        List<SimAgent> probes = pollers.subList(0, 50);
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long rampNanos = Window.nanos(ramp);
        Window window = new Window(t0 + rampNanos, t0 + rampNanos + Window.nanos(s.seconds()));
        OpRecorder heartbeat = new OpRecorder("heartbeat (probe)", window);
        OpRecorder poll = new OpRecorder(tasks ? "task claim long-poll returned" : "inbox long-poll returned", window);
        long period = TimeUnit.SECONDS.toNanos(probes.size()) / probeRate;
        Map<String, Object> facts = new LinkedHashMap<>();
        try (HubHttp http = s.http();
                Pacer pacer = new Pacer(window.end(), window.end() + s.timeout().toNanos());
                ExecutorService holders = Executors.newVirtualThreadPerTaskExecutor()) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (SimAgent a : pollers) {
                long start = t0 + random.nextLong(Math.max(1, rampNanos));
                // The first poll ends at a random point of the first wait after the window opens: steady state.
                double firstWait = (window.start() - start) / 1e9 + random.nextDouble() * wait;
                holders.submit(() -> {
                    long pause = start - System.nanoTime();
                    if (pause > 0) {
                        TimeUnit.NANOSECONDS.sleep(pause);
                    }
                    pollLoop(http, s, a, tasks, firstWait, window, poll);
                    return null;
                });
            }
            for (SimAgent p : probes) {
                pacer.every(t0 + rampNanos / 2 + random.nextLong(period), period, heartbeat, t -> {
                    HeartbeatWorkload.beat(http, s, p, "idle, polling", t, heartbeat);
                });
            }
            while (!window.closed()) {
                Thread.sleep(Math.max(1, Math.min(1000, (window.end() - System.nanoTime()) / 1_000_000)));
            }
            pacer.awaitAll(window.end() + 2 * s.timeout().toNanos());
            facts.putAll(cpu.facts());
            holders.shutdownNow();
            http.close();
        }
        facts.put("load average at end", loadAverage());
        return new WorkloadResult(
                (tasks ? "idle task claims" : "idle inbox") + " round " + round,
                agents + " agents long-polling "
                        + (tasks ? "POST /api/tasks/claim?wait=" + wait : "GET /api/inbox?wait=" + wait)
                        + ", nothing to get; probe: " + probeRate + " heartbeats/s",
                window.seconds(),
                List.of(heartbeat.stats(), poll.stats()),
                facts);
    }

    private void pollLoop(
            HubHttp http, Settings s, SimAgent a, boolean tasks, double firstWait, Window window, OpRecorder poll)
            throws InterruptedException {
        double w = firstWait;
        long cursor = 0;
        while (!window.closed()) {
            String waitParam = String.format(Locale.ROOT, "%.3f", Math.max(0.001, w));
            Duration timeout = Duration.ofMillis((long) (w * 1000)).plus(s.timeout());
            HubHttp.Request request = tasks
                    ? http.post("/api/tasks/claim?wait=" + waitParam, a.token(), Map.of(), timeout)
                    : http.get("/api/inbox?wait=" + waitParam + "&after=" + cursor, a.token(), timeout);
            long sent = System.nanoTime();
            Response r = http.send(a.index(), request);
            if (window.closed()) {
                return;
            }
            // Counted by when it returned (most were sent before the window), timed by how long it was held.
            long got = System.nanoTime();
            OpRecorder.Outcome o = poll.record(got, got + (got - sent), r, tasks ? 204 : 200, false);
            if (o != OpRecorder.Outcome.OK) {
                Thread.sleep(1000);
            } else if (!tasks) {
                cursor = r.json().path("nextCursor").asLong(cursor);
            }
            w = wait;
        }
    }

    private static String idleSummary(List<double[]> taskRows, List<double[]> inboxRows) {
        StringBuilder out = new StringBuilder();
        out.append("| round | hub CPU, task long-polls (cores) | hub CPU, inbox long-polls (cores) | CPU ratio |"
                + " probe p99, tasks (ms) | probe p99, inbox (ms) | p99 ratio |\n");
        out.append("|--:|--:|--:|--:|--:|--:|--:|\n");
        double cpuT = 0;
        double cpuI = 0;
        List<Double> p99Ratios = new ArrayList<>();
        for (int i = 0; i < taskRows.size(); i++) {
            double[] t = taskRows.get(i);
            double[] b = inboxRows.get(i);
            cpuT += t[0];
            cpuI += b[0];
            p99Ratios.add(t[1] / b[1]);
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %.3f | %.3f | %.2f | %.1f | %.1f | %.2f |%n",
                    i + 1,
                    t[0],
                    b[0],
                    t[0] / b[0],
                    t[1],
                    b[1],
                    t[1] / b[1]));
        }
        out.append(String.format(
                Locale.ROOT,
                "| all | %.3f | %.3f | **%.2f** | | | **%.2f** (median) |%n",
                cpuT / taskRows.size(),
                cpuI / inboxRows.size(),
                cpuT / cpuI,
                median(p99Ratios)));
        return out.toString();
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message + ".");
        }
    }
}
