package io.agenthub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the CPU went during a window: the hub (the sum of its node processes, when their pids are known), this
 * generator, and everything else on the machine, in cores, plus the hub's CPU time per request. On a shared machine
 * throughput moves with the neighbours' load; CPU per request does much less, and "other" shows how busy the neighbours
 * were. With several nodes it also reports each node's requests and each process's CPU. Reads {@code /proc}, so the
 * hub and machine figures are Linux only (absent elsewhere).
 */
final class CpuMeter {
    /** Linux reports process and machine times in clock ticks of 1/100 s (USER_HZ). */
    private static final double TICK_SECONDS = 0.01;

    /**
     * One reading.
     *
     * @param hubTicks CPU ticks of each hub process, in the order of the pids; -1 where unknown
     * @param requests requests sent to each node so far, in the order of the base URLs
     */
    record Sample(long nanos, long selfCpuNanos, long[] hubTicks, long busyTicks, long totalTicks, long[] requests) {}

    private final Thread sampler;
    private final List<Long> hubPids;
    private final HubHttp http;
    private volatile Sample first;
    private volatile Sample last;

    private CpuMeter(Window window, List<Long> hubPids, HubHttp http) {
        this.hubPids = List.copyOf(hubPids);
        this.http = http;
        this.sampler = Thread.ofVirtual().name("bench-cpu-meter").start(() -> {
            try {
                sleepUntil(window.start());
                first = sample();
                sleepUntil(window.end());
                last = sample();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Starts sampling at the window's start and end; counts the requests that {@code http} sends. */
    static CpuMeter during(Window window, List<Long> hubPids, HubHttp http) {
        return new CpuMeter(window, hubPids, http);
    }

    /** The figures, in display order; empty if the window was not sampled. Waits for the end sample. */
    Map<String, Object> facts() throws InterruptedException {
        sampler.join();
        Sample a = first;
        Sample b = last;
        if (a == null || b == null) {
            return new LinkedHashMap<>();
        }
        return facts(a, b, http.bases(), hubPids);
    }

    /**
     * The figures between two samples. Hub CPU is the sum over {@code pids}, reported only if every one was readable
     * in both samples; per-node requests and per-process CPU are added when there are several.
     */
    static Map<String, Object> facts(Sample a, Sample b, List<URI> nodes, List<Long> pids) {
        Map<String, Object> out = new LinkedHashMap<>();
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double self = (b.selfCpuNanos() - a.selfCpuNanos()) / 1e9;
        long requests = 0;
        Map<String, Long> byNode = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            long n = b.requests()[i] - a.requests()[i];
            requests += n;
            byNode.merge(nodes.get(i).toString(), n, Long::sum);
        }
        out.put("requests/s", round(requests / seconds, 0));
        if (nodes.size() > 1) {
            out.put("requests per hub node", byNode);
        }
        boolean hubKnown = !pids.isEmpty();
        for (int i = 0; i < pids.size(); i++) {
            hubKnown &= a.hubTicks()[i] >= 0 && b.hubTicks()[i] >= 0;
        }
        if (hubKnown) {
            long ticks = 0;
            Map<String, Object> byProcess = new LinkedHashMap<>();
            for (int i = 0; i < pids.size(); i++) {
                long t = b.hubTicks()[i] - a.hubTicks()[i];
                ticks += t;
                byProcess.put("pid " + pids.get(i), round(t * TICK_SECONDS / seconds, 2));
            }
            double hub = ticks * TICK_SECONDS;
            out.put("hub CPU, cores", round(hub / seconds, 2));
            if (pids.size() > 1) {
                out.put("hub CPU per process, cores", byProcess);
            }
            if (requests > 0) {
                out.put("hub CPU per request, ms", round(hub * 1000 / requests, 3));
            }
            if (a.totalTicks() > 0) {
                double busy = (b.busyTicks() - a.busyTicks()) * TICK_SECONDS;
                out.put("generator CPU, cores", round(self / seconds, 2));
                out.put("other processes' CPU, cores", round(Math.max(0, busy - hub - self) / seconds, 2));
            }
        } else {
            out.put("generator CPU, cores", round(self / seconds, 2));
        }
        if (requests > 0) {
            out.put("generator CPU per request, ms", round(self * 1000 / requests, 3));
        }
        return out;
    }

    private Sample sample() {
        long[] machine = machineTicks();
        long[] hub = new long[hubPids.size()];
        for (int i = 0; i < hub.length; i++) {
            hub[i] = processTicks(hubPids.get(i));
        }
        return new Sample(System.nanoTime(), selfCpuNanos(), hub, machine[0], machine[1], http.requestsByNode());
    }

    private static long selfCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** utime + stime of a process, in ticks; -1 if unknown. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).getFirst();
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, total} ticks of all CPUs; zeros if unknown. Busy excludes idle and iowait. */
    private static long[] machineTicks() {
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static double round(double v, int digits) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + digits + "f", v));
    }
}
