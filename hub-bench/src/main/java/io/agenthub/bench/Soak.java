package io.agenthub.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak: keeps {@code --agents} simulated agents working against a live hub for {@code --minutes} (heartbeats,
 * leases taken and released, chat posts, tasks created, claimed and completed, each agent pausing about
 * {@code --think-seconds} between calls), samples the hub every {@code --sample-seconds} (heap, RSS, open files, store
 * size, p50 and p99 latency, errors) and writes the samples as CSV, an SVG chart and a verdict per series: flat or
 * growing, with the slope. Exits 1 when more than 1% of the requests failed (transport errors or 5xx), or with
 * {@code --fail-on-growth} when a series grew. Loopback only; every loop ends at the deadline.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = "Soak test of a live Agent Hub: many simulated agents for a long time; is memory flat?")
public final class Soak implements Callable<Integer> {
    @Option(names = "--url", description = "Hub base URL, loopback only.")
    String url;

    @Option(names = "--token", description = "Admin token (creates the simulated agents).")
    String token;

    @Option(names = "--agents", defaultValue = "1000", description = "Simulated agents (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--minutes", defaultValue = "60", description = "Duration of the load (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(
            names = "--sample-seconds",
            defaultValue = "60",
            description = "Seconds between samples (default ${DEFAULT-VALUE}).")
    int sampleSeconds;

    @Option(
            names = "--think-seconds",
            defaultValue = "3",
            description = "Mean pause of an agent between calls (default ${DEFAULT-VALUE}).")
    double thinkSeconds;

    @Option(names = "--hub-pid", description = "The hub's process id (RSS and open files from /proc).")
    long hubPid;

    @Option(names = "--store-dir", description = "The hub's SQLite data directory (its size is the store size).")
    Path storeDir;

    @Option(names = "--redis-port", description = "Loopback port of the hub's Redis (used_memory is the store size).")
    int redisPort;

    @Option(names = "--label", defaultValue = "sqlite", description = "Name of the run in the chart and the output.")
    String label;

    @Option(names = "--csv", description = "Where to write the samples as CSV.")
    Path csv;

    @Option(names = "--svg", description = "Where to draw the chart.")
    Path svg;

    @Option(names = "--fail-on-growth", description = "Exit 1 when a series is not flat.")
    boolean failOnGrowth;

    @Option(
            names = "--replot",
            description = "Only redraw --svg and print the verdict from this CSV of an earlier run (no load).")
    Path replot;

    private final Recorder latency = new Recorder(60_000_000L, 3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder totalRequests = new LongAdder();
    private final LongAdder totalErrors = new LongAdder();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (replot != null) {
            List<SoakSample> old = Files.readAllLines(replot, StandardCharsets.UTF_8).stream()
                    .skip(1)
                    .filter(l -> !l.isBlank())
                    .map(SoakSample::parse)
                    .toList();
            old.forEach(s -> {
                totalRequests.add(s.requests());
                totalErrors.add(s.errors());
            });
            minutes = old.isEmpty() ? 0 : Math.round(old.getLast().minute());
            csv = null;
            return report(old);
        }
        if (url == null || token == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--url and --token are required.");
        }
        URI base = LoadBench.urls(url).getFirst();
        try (HubHttp http = new HubHttp(List.of(base), 4, false)) {
            List<SimAgent> roster = new Roster(http, token, null, "soak").take(agents);
            SoakProbe probe = new SoakProbe(http, token, hubPid, storeDir, redisPort);
            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            List<SoakSample> samples = new ArrayList<>();
            System.err.printf(
                    Locale.ROOT,
                    "Soak %s: %d agents for %.1f min, a sample every %d s.%n%s%n",
                    label,
                    agents,
                    minutes,
                    sampleSeconds,
                    SoakSample.HEADER);
            try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
                for (SimAgent a : roster) {
                    vt.submit(() -> work(http, a, end));
                }
                long next = start;
                while (next < end) {
                    next = Math.min(end, next + sampleSeconds * 1_000_000_000L);
                    sleepUntil(next);
                    SoakSample s = sample(probe, (System.nanoTime() - start) / 60e9);
                    samples.add(s);
                    System.err.println(s.csv());
                }
            }
            return report(samples);
        }
    }

    private int report(List<SoakSample> samples) throws Exception {
        List<SoakVerdict.Line> verdict = SoakVerdict.judge(samples);
        if (csv != null) {
            List<String> lines = new ArrayList<>();
            lines.add(SoakSample.HEADER);
            samples.forEach(s -> lines.add(s.csv()));
            Files.write(csv, lines, StandardCharsets.UTF_8);
        }
        String title = String.format(
                Locale.ROOT,
                "Soak on %s: %d simulated agents, %.0f min, %d requests, %d errors",
                label,
                agents,
                minutes,
                totalRequests.sum(),
                totalErrors.sum());
        if (svg != null) {
            Files.writeString(svg, SoakChart.svg(title, samples, verdict), StandardCharsets.UTF_8);
        }
        System.out.println(title);
        verdict.forEach(l -> System.out.println("  " + l.describe()));
        double errorShare = totalRequests.sum() == 0 ? 1 : (double) totalErrors.sum() / totalRequests.sum();
        if (errorShare > 0.01) {
            System.out.printf(Locale.ROOT, "FAILED: %.2f%% of the requests failed (limit 1%%).%n", errorShare * 100);
            return 1;
        }
        if (failOnGrowth && verdict.stream().anyMatch(l -> !l.flat())) {
            System.out.println("FAILED: a series grew (--fail-on-growth).");
            return 1;
        }
        return 0;
    }

    private SoakSample sample(SoakProbe probe, double minute) throws InterruptedException {
        Histogram h = latency.getIntervalHistogram();
        long n = requests.sumThenReset();
        long e = errors.sumThenReset();
        return new SoakSample(
                minute,
                n,
                e,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
                probe.heapBytes(),
                probe.rssBytes(),
                probe.openFiles(),
                probe.storeBytes());
    }

    /** One agent's loop until the deadline: a weighted random call, then a jittered pause. */
    private void work(HubHttp http, SimAgent a, long end) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try {
            // Spread the agents' first calls over one pause, so that they do not start in lockstep.
            Thread.sleep((long) (r.nextDouble() * thinkSeconds * 1000));
            while (System.nanoTime() < end) {
                int roll = r.nextInt(100);
                if (roll < 35) {
                    call(http, a, "/api/heartbeat", Map.of("status", "busy", "currentTask", "soak " + r.nextInt(50)));
                } else if (roll < 65) {
                    lease(http, a, "soak/src/file-" + r.nextInt(5000) + ".java");
                } else if (roll < 80) {
                    call(http, a, "/api/chat", Map.of("channel", "soak", "text", "progress note " + r.nextInt(1000)));
                } else if (roll < 90) {
                    call(http, a, "/api/tasks", Map.of("title", "soak task", "body", "a little work"));
                } else {
                    task(http, a);
                }
                Thread.sleep((long) (r.nextDouble() * 2 * thinkSeconds * 1000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Response call(HubHttp http, SimAgent a, String path, Object body) throws InterruptedException {
        long t0 = System.nanoTime();
        Response r = http.send(a.index(), http.post(path, a.token(), body, Duration.ofSeconds(30)));
        latency.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
        requests.increment();
        totalRequests.increment();
        if (r.status() == 0 || r.status() >= 500) {
            errors.increment();
            totalErrors.increment();
        }
        return r;
    }

    private void lease(HubHttp http, SimAgent a, String resource) throws InterruptedException {
        Response got = call(http, a, "/api/leases", Map.of("resource", resource, "ttlSeconds", 60));
        if (got.is(201) || got.is(200)) {
            long token = got.json().path("token").asLong();
            call(http, a, "/api/leases/release", Map.of("resource", resource, "token", token));
        }
    }

    private void task(HubHttp http, SimAgent a) throws InterruptedException {
        Response c = call(http, a, "/api/tasks/claim", Map.of("ttlSeconds", 120));
        if (c.is(200)) {
            String id = c.json().path("id").asString("");
            long token = c.json().path("token").asLong();
            call(http, a, "/api/tasks/" + id + "/complete", Map.of("token", token, "result", "done"));
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
