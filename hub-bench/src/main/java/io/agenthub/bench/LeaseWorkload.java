package io.agenthub.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code lease}: each client (its own agent and token) acquires a lease and releases it at once, back to back. By
 * default every client has its own resource, so no acquire can conflict and the figure is the hub's raw write path;
 * with a shared pool ({@code --pool N}) clients pick a random resource of N and a 409 {@code lease_held} is a counted
 * conflict rather than an error. Throughput is completed acquire+release pairs per second.
 *
 * <p>{@code lease-new}: the same, but each cycle of a client takes a name never used before, as agents touching file
 * after file do. Every grant leaves a released row (until the lease purge), so this is the workload that shows whether
 * the hub's cost follows what is active or what has accumulated ({@code scripts/bench-history.sh} runs it minute after
 * minute on one hub).
 */
final class LeaseWorkload implements Workload {
    static final long TTL_SECONDS = 30;
    private final boolean freshNames;

    LeaseWorkload() {
        this(false);
    }

    LeaseWorkload(boolean freshNames) {
        this.freshNames = freshNames;
    }

    @Override
    public String name() {
        return freshNames ? "lease-new" : "lease";
    }

    @Override
    public WorkloadResult run(Settings s, Roster roster) throws InterruptedException {
        List<SimAgent> agents = roster.take(s.clients());
        boolean shared = s.pool() > 0;
        Window window = Window.after(s.warmup(), s.seconds());
        OpRecorder pair = new OpRecorder("acquire+release", window);
        OpRecorder acquire = new OpRecorder("acquire", window);
        OpRecorder release = new OpRecorder("release", window);
        Map<String, Object> facts = new LinkedHashMap<>();
        try (HubHttp http = s.http()) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ClosedLoop.run(agents.size(), window, i -> {
                SimAgent agent = agents.get(i);
                String own = "bench/" + s.runId() + "/client-" + i;
                long[] cycles = {0};
                return () -> {
                    String resource = shared
                            ? "bench/" + s.runId() + "/pool/file-"
                                    + ThreadLocalRandom.current().nextInt(s.pool())
                            : freshNames ? own + "/file-" + cycles[0]++ : own;
                    cycle(http, s, agent, resource, shared, System.nanoTime(), pair, acquire, release);
                };
            });
            facts.putAll(cpu.facts());
        }
        long attempts = acquire.stats().count();
        if (shared) {
            facts.put(
                    "conflict ratio",
                    attempts == 0 ? 0.0 : (double) acquire.stats().conflicts() / attempts);
        }
        String setup = s.clients() + " clients, "
                + (shared
                        ? "shared pool of " + s.pool() + " resources"
                        : freshNames ? "a new resource name each cycle" : "one resource per client");
        return new WorkloadResult(
                name(), setup, window.seconds(), List.of(pair.stats(), acquire.stats(), release.stats()), facts);
    }

    /**
     * One acquire+release cycle, recorded per request and as a pair timed from {@code start} (the cycle's send time in
     * the closed loop, its scheduled time when paced).
     */
    static void cycle(
            HubHttp http,
            Settings s,
            SimAgent agent,
            String resource,
            boolean conflictExpected,
            long start,
            OpRecorder pair,
            OpRecorder acquire,
            OpRecorder release)
            throws InterruptedException {
        long sent = System.nanoTime();
        Api api = s.api();
        Response a = http.send(agent.index(), api.acquire(http, agent, resource, TTL_SECONDS, s.timeout()));
        long acquired = System.nanoTime();
        switch (acquire.judge(sent, acquired, a, api.acquired(), conflictExpected && api.refused(a))) {
            case CONFLICT -> {
                pair.conflict(start);
                return;
            }
            case ERROR -> {
                pair.error(start, "acquire: " + a.describe());
                return;
            }
            case OK -> {}
        }
        Response r = api.released(http.send(agent.index(), api.release(http, agent, resource, a, s.timeout())));
        long released = System.nanoTime();
        if (release.record(acquired, released, r, 200, false) == OpRecorder.Outcome.OK) {
            pair.ok(start, released);
        } else {
            pair.error(start, "release: " + r.describe());
        }
    }
}
