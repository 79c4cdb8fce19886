package io.agenthub.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook endpoint that records what it receives; it can answer the first calls with 500. */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failFirst;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = calls.incrementAndGet();
            if (n <= failFirst) {
                ex.sendResponseHeaders(500, -1);
            } else {
                bodies.add(ex.getRequestURI().getPath() + " " + body);
                ex.sendResponseHeaders(204, -1);
            }
            ex.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void failFirst(int n) {
        failFirst = n;
    }

    int calls() {
        return calls.get();
    }

    /** Waits for {@code n} deliveries (path and body), failing after {@code timeout}. */
    List<String> await(int n, Duration timeout) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            String b = bodies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (b == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " webhook deliveries: " + out);
            }
            out.add(b);
        }
        return out;
    }

    /** Deliveries that arrived and were not awaited yet. */
    List<String> drain() {
        List<String> out = new ArrayList<>();
        bodies.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
