package io.agenthub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code mixed}: a fleet of agents, each on its own randomly phased schedule: a heartbeat every second, a lease cycle
 * (acquire, then release at once) on one of {@value #FILES} shared files every 2 s, a chat post every 5 s and a chat
 * read every 2 s. That offers 2.2 operations (2.7 requests) per agent per second whatever the hub does. Latency runs
 * from each operation's scheduled start, so queueing anywhere (hub, network, generator) shows. A 409 on acquire is the
 * expected outcome of contention: counted as a conflict, not an error.
 */
final class MixedWorkload implements Workload {
    static final int DEFAULT_AGENTS = 1000;
    static final int FILES = 20;
    private static final long HEARTBEAT_EVERY = TimeUnit.SECONDS.toNanos(1);
    private static final long LEASE_EVERY = TimeUnit.SECONDS.toNanos(2);
    static final int POST_EVERY_SECONDS = 5;
    private static final long POST_EVERY = TimeUnit.SECONDS.toNanos(POST_EVERY_SECONDS);
    private static final long READ_EVERY = TimeUnit.SECONDS.toNanos(2);

    @Override
    public String name() {
        return "mixed";
    }

    @Override
    public WorkloadResult run(Settings s, Roster roster) throws InterruptedException {
        int n = s.agentsOr(DEFAULT_AGENTS);
        List<SimAgent> agents = roster.take(n);
        String channel = "mixed-" + s.runId();
        String files = "bench/" + s.runId() + "/mixed/file-";
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        double warmup = Math.max(s.warmup(), POST_EVERY_SECONDS);
        Window window = new Window(t0 + Window.nanos(warmup), t0 + Window.nanos(warmup + s.seconds()));
        OpRecorder heartbeat = new OpRecorder("heartbeat", window, t0);
        OpRecorder lease = new OpRecorder("lease cycle", window, t0);
        OpRecorder post = new OpRecorder("chat post", window, t0);
        OpRecorder read = new OpRecorder("chat read", window, t0);
        OpRecorder acquire = new OpRecorder("acquire", window);
        OpRecorder release = new OpRecorder("release", window);
        long timeout = s.timeout().toNanos();
        Map<String, Object> facts = new LinkedHashMap<>();
        long giveUpAt = window.end() + timeout;
        try (HubHttp http = s.http();
                Pacer pacer = new Pacer(window.end(), giveUpAt)) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (SimAgent a : agents) {
                pacer.every(t0 + random.nextLong(HEARTBEAT_EVERY), HEARTBEAT_EVERY, heartbeat, t -> {
                    HeartbeatWorkload.beat(http, s, a, "mixed workload", t, heartbeat);
                });
                pacer.every(t0 + random.nextLong(LEASE_EVERY), LEASE_EVERY, lease, t -> {
                    String file = files + ThreadLocalRandom.current().nextInt(FILES);
                    LeaseWorkload.cycle(http, s, a, file, true, t, lease, acquire, release);
                });
                long[] seq = {0};
                pacer.every(t0 + random.nextLong(POST_EVERY), POST_EVERY, post, t -> {
                    ChatPostWorkload.post(http, s, a, channel, seq[0]++, t, post);
                });
                ChatReadWorkload.Reader reader = new ChatReadWorkload.Reader(a, channel, false);
                pacer.every(t0 + random.nextLong(READ_EVERY), READ_EVERY, read, t -> {
                    reader.read(http, s, t, read, null);
                });
            }
            pacer.awaitAll(giveUpAt + 2 * timeout);
            facts.putAll(cpu.facts());
        }
        List<OpStats> rows = new ArrayList<>(List.of(heartbeat.stats(), lease.stats(), post.stats(), read.stats()));
        rows.addFirst(overall(List.of(heartbeat, lease, post, read), rows, window));
        long leases = lease.stats().count();
        facts.put("conflict ratio", leases == 0 ? 0.0 : (double) lease.stats().conflicts() / leases);
        facts.put("offered operations/s", n * 2.2);
        Histogram joining = new Histogram(OpRecorder.HIGHEST_MICROS, 3);
        List.of(heartbeat, lease, post, read).forEach(r -> joining.add(r.joiningHistogram()));
        facts.put("warm-up, s", warmup);
        facts.put("p99 while joining, ms", Math.round(joining.getValueAtPercentile(99) / 100.0) / 10.0);
        return new WorkloadResult(
                name(), n + " agents, " + FILES + " shared files, channel " + channel, window.seconds(), rows, facts);
    }

    /** All operations together: merged latencies, summed counts, errors prefixed with their operation. */
    private static OpStats overall(List<OpRecorder> recorders, List<OpStats> rows, Window window) {
        Histogram all = new Histogram(OpRecorder.HIGHEST_MICROS, 3);
        recorders.forEach(r -> all.add(r.histogram()));
        Map<String, Long> kinds = new LinkedHashMap<>();
        rows.forEach(row -> row.errorKinds().forEach((k, v) -> kinds.put(row.op() + ": " + k, v)));
        return OpStats.of(
                "all operations",
                all,
                rows.stream().mapToLong(OpStats::ok).sum(),
                rows.stream().mapToLong(OpStats::conflicts).sum(),
                rows.stream().mapToLong(OpStats::errors).sum(),
                kinds,
                window.seconds());
    }
}
