package io.agenthub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code connections}: many idle agents, each holding a request open: an inbox long-poll ({@code GET
 * /api/inbox?wait=30&after=<cursor>}, sent again as soon as it returns) or, with {@code --sse}, an event stream
 * ({@code GET /api/events}). They open over the ramp period, in random order; each agent also heartbeats every
 * {@value #HEARTBEAT_SECONDS} s at a random phase, timed from its schedule. The result is how many requests were held
 * open at once (peak and at the end of the run, from the client's count and from the kernel's table of established TCP
 * connections to the hub's port), the heartbeat latency, and the errors. After an error an agent waits (1 s, doubling
 * to 8 s) before trying again, so a missing endpoint does not become a request flood. With several hub nodes the
 * agents are dealt round-robin across them and the TCP count covers all their ports.
 */
final class ConnectionsWorkload implements Workload {
    static final int DEFAULT_AGENTS = 5000;
    static final int WAIT_SECONDS = 30;
    static final int HEARTBEAT_SECONDS = 60;

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public WorkloadResult run(Settings s, Roster roster) throws InterruptedException {
        int n = s.agentsOr(DEFAULT_AGENTS);
        List<SimAgent> agents = roster.take(n);
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long ramp = Window.nanos(s.ramp());
        Window window = new Window(t0 + ramp, t0 + ramp + Window.nanos(s.seconds()));
        OpRecorder heartbeat = new OpRecorder("heartbeat", window);
        OpRecorder hold = new OpRecorder(s.sse() ? "event stream opened" : "long-poll returned", window);
        Gauge open = new Gauge();
        Gauge tcp = new Gauge();
        List<Integer> ports = s.urls().stream()
                .map(u -> u.getPort() > 0 ? u.getPort() : 80)
                .distinct()
                .toList();
        long heartbeatEvery = TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS);
        try (HubHttp http = s.http();
                Pacer pacer = new Pacer(window.end(), window.end() + s.timeout().toNanos());
                ExecutorService holders = Executors.newVirtualThreadPerTaskExecutor()) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (SimAgent a : agents) {
                long start = t0 + random.nextLong(Math.max(1, ramp));
                holders.submit(() -> {
                    sleepUntil(start);
                    if (s.sse()) {
                        stream(http, s, a, window, hold, open);
                    } else {
                        poll(http, s, a, window, hold, open);
                    }
                    return null;
                });
                pacer.every(t0 + random.nextLong(heartbeatEvery), heartbeatEvery, heartbeat, t -> {
                    HeartbeatWorkload.beat(http, s, a, "idle, waiting for messages", t, heartbeat);
                });
            }
            while (!window.closed()) {
                tcp.set(TcpSockets.establishedTo(ports));
                Thread.sleep(Math.min(1000, Math.max(1, (window.end() - System.nanoTime()) / 1_000_000)));
            }
            int openAtEnd = open.current();
            int tcpAtEnd = TcpSockets.establishedTo(ports);
            tcp.set(tcpAtEnd);
            // Heartbeats finish first (they are measured); then the held requests are cut off.
            pacer.awaitAll(window.end() + 2 * s.timeout().toNanos());
            holders.shutdownNow();
            http.close();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.putAll(cpu.facts());
            String what = s.sse() ? "event streams open" : "long-polls in flight";
            facts.put(what + ", peak", open.peak());
            facts.put(what + ", at end", openAtEnd);
            if (tcpAtEnd >= 0) {
                facts.put("TCP connections to the hub, peak", tcp.peak());
                facts.put("TCP connections to the hub, at end", tcpAtEnd);
            }
            return new WorkloadResult(
                    name(),
                    n + " agents, " + (s.sse() ? "SSE streams" : "long-polls wait=" + WAIT_SECONDS + "s")
                            + ", heartbeat every " + HEARTBEAT_SECONDS + " s, ramp " + s.ramp() + " s",
                    window.seconds(),
                    List.of(heartbeat.stats(), hold.stats()),
                    facts);
        }
    }

    private static void poll(HubHttp http, Settings s, SimAgent a, Window window, OpRecorder hold, Gauge open)
            throws InterruptedException {
        long cursor = 0;
        Backoff backoff = new Backoff();
        Duration timeout = Duration.ofSeconds(WAIT_SECONDS).plus(s.timeout());
        while (!window.closed()) {
            HubHttp.Request request =
                    http.get("/api/inbox?wait=" + WAIT_SECONDS + "&after=" + cursor, a.token(), timeout);
            long sent = System.nanoTime();
            open.up();
            Response r;
            try {
                r = http.send(a.index(), request);
            } finally {
                open.down();
            }
            if (window.closed()) {
                return;
            }
            if (hold.record(sent, System.nanoTime(), r, 200, false) == OpRecorder.Outcome.OK) {
                cursor = r.json().path("nextCursor").asLong(cursor);
                backoff.reset();
            } else {
                backoff.pause(window);
            }
        }
    }

    private static void stream(HubHttp http, Settings s, SimAgent a, Window window, OpRecorder hold, Gauge open)
            throws InterruptedException {
        Backoff backoff = new Backoff();
        byte[] sink = new byte[8192];
        while (!window.closed()) {
            HttpRequest request = HttpRequest.newBuilder(http.resolve(a.index(), "/api/events"))
                    .header("Authorization", "Bearer " + a.token())
                    .header("Accept", "text/event-stream")
                    .timeout(s.timeout())
                    .GET()
                    .build();
            long sent = System.nanoTime();
            HttpResponse<InputStream> response;
            try {
                response = http.stream(a.index(), request).get();
            } catch (ExecutionException e) {
                hold.error(sent, Response.describe(e.getCause()));
                backoff.pause(window);
                continue;
            }
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    hold.record(
                            sent,
                            System.nanoTime(),
                            new Response(response.statusCode(), in.readAllBytes(), null),
                            200,
                            false);
                    backoff.pause(window);
                    continue;
                }
                hold.ok(sent, System.nanoTime());
                backoff.reset();
                open.up();
                try {
                    while (in.read(sink) >= 0 && !window.closed()) {
                        // Events are only drained: the point is holding the stream open.
                    }
                } finally {
                    open.down();
                }
            } catch (IOException e) {
                if (!window.closed()) {
                    hold.error(sent, "stream broke: " + Response.describe(e));
                    backoff.pause(window);
                }
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** A count that goes up and down, and its highest value. */
    private static final class Gauge {
        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        void up() {
            peak.accumulateAndGet(current.incrementAndGet(), Math::max);
        }

        void down() {
            current.decrementAndGet();
        }

        void set(int value) {
            current.set(value);
            peak.accumulateAndGet(value, Math::max);
        }

        int current() {
            return current.get();
        }

        int peak() {
            return peak.get();
        }
    }

    /** 1 s after the first error, doubling up to 8 s, with jitter so that agents do not retry in step. */
    private static final class Backoff {
        private long millis = 1000;

        void reset() {
            millis = 1000;
        }

        void pause(Window window) throws InterruptedException {
            long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis);
            long left = (window.end() - System.nanoTime()) / 1_000_000;
            Thread.sleep(Math.max(0, Math.min(jittered, left)));
            millis = Math.min(8000, millis * 2);
        }
    }
}
