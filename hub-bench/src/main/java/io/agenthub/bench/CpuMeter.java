package io.agenthub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where the CPU went during a window: the hub process (when its pid is known), this generator, and everything else on
 * the machine, in cores, plus the hub's CPU time per request. On a shared machine throughput moves with the neighbours'
 * load; CPU per request does much less, and "other" shows how busy the neighbours were. Reads {@code /proc}, so the
 * hub and machine figures are Linux only (absent elsewhere).
 */
final class CpuMeter {
    /** Linux reports process and machine times in clock ticks of 1/100 s (USER_HZ). */
    private static final double TICK_SECONDS = 0.01;

    private record Sample(
            long nanos, long selfCpuNanos, long hubTicks, long busyTicks, long totalTicks, long requests) {}

    private final Thread sampler;
    private final Long hubPid;
    private volatile Sample first;
    private volatile Sample last;

    private CpuMeter(Window window, Long hubPid, LongSupplier requests) {
        this.hubPid = hubPid;
        this.sampler = Thread.ofVirtual().name("bench-cpu-meter").start(() -> {
            try {
                sleepUntil(window.start());
                first = sample(requests);
                sleepUntil(window.end());
                last = sample(requests);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Starts sampling at the window's start and end. */
    static CpuMeter during(Window window, Long hubPid, LongSupplier requests) {
        return new CpuMeter(window, hubPid, requests);
    }

    /** The figures, in display order; empty if the window was not sampled. Waits for the end sample. */
    Map<String, Object> facts() throws InterruptedException {
        sampler.join();
        Map<String, Object> out = new LinkedHashMap<>();
        Sample a = first;
        Sample b = last;
        if (a == null || b == null) {
            return out;
        }
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double self = (b.selfCpuNanos() - a.selfCpuNanos()) / 1e9;
        long requests = b.requests() - a.requests();
        out.put("requests/s", round(requests / seconds, 0));
        if (a.hubTicks() >= 0 && b.hubTicks() >= 0) {
            double hub = (b.hubTicks() - a.hubTicks()) * TICK_SECONDS;
            out.put("hub CPU, cores", round(hub / seconds, 2));
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

    private Sample sample(LongSupplier requests) {
        long[] machine = machineTicks();
        return new Sample(
                System.nanoTime(),
                selfCpuNanos(),
                hubPid == null ? -1 : processTicks(hubPid),
                machine[0],
                machine[1],
                requests.getAsLong());
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
