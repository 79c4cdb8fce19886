package io.agenthub.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that injects network faults between a client and a server (the hub and its Redis): latency
 * with jitter, loss, resets and a cut (partition), each switched on and off while traffic flows. Bytes are forwarded in
 * order, never altered or dropped from the stream (a dropped TCP segment is retransmitted, so loss shows as a delay of
 * one retransmission timeout).
 *
 * <ul>
 *   <li>{@link #latency}: every chunk waits {@code base} plus a random part of {@code jitter}, in each direction.
 *   <li>{@link #loss}: each chunk is lost with probability {@code p} and arrives after {@code rto}.
 *   <li>{@link #resets}: each chunk resets its connection (both sides, RST) with probability {@code p}.
 *   <li>{@link #cut}: a partition: nothing is forwarded any more and new connections are accepted but get no answer;
 *       {@link #heal} resets the connections caught in the cut (as their peers' keep-alives would) and forwards again.
 * </ul>
 *
 * Binds to the loopback address only. Close it to stop every connection.
 */
public final class FaultProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong forwardedBytes = new AtomicLong();
    private final AtomicLong resetCount = new AtomicLong();
    private volatile Faults faults = Faults.NONE;
    private volatile boolean open = true;

    /** The faults in force; chunks read after a change see the new ones. */
    public record Faults(Duration latency, Duration jitter, double loss, Duration rto, double reset, boolean cut) {
        public static final Faults NONE = new Faults(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, false);

        /** How this looks in a report, e.g. {@code latency 100 ms ± 50 ms}. */
        public String describe() {
            if (cut) {
                return "cut (partition)";
            }
            StringBuilder b = new StringBuilder();
            if (latency.isPositive() || jitter.isPositive()) {
                b.append("latency ").append(latency.toMillis()).append(" ms");
                if (jitter.isPositive()) {
                    b.append(" + up to ").append(jitter.toMillis()).append(" ms jitter");
                }
            }
            if (loss > 0) {
                b.append(b.isEmpty() ? "" : ", ")
                        .append(String.format(
                                java.util.Locale.ROOT, "loss %.0f%% (rto %d ms)", loss * 100, rto.toMillis()));
            }
            if (reset > 0) {
                b.append(b.isEmpty() ? "" : ", ")
                        .append(String.format(java.util.Locale.ROOT, "resets %.1f%% of chunks", reset * 100));
            }
            return b.isEmpty() ? "none" : b.toString();
        }
    }

    private FaultProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
        Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::accept);
    }

    /** Starts a proxy on a free loopback port in front of {@code host:port} (which must be a loopback address too). */
    public static FaultProxy start(String host, int port) throws IOException {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("The fault proxy only fronts loopback addresses; got " + host + ".");
        }
        ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        return new FaultProxy(target, server);
    }

    /** The port to connect to instead of the target's. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} to connect to instead of the target's. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    public Faults faults() {
        return faults;
    }

    public long forwardedBytes() {
        return forwardedBytes.get();
    }

    public long resets() {
        return resetCount.get();
    }

    /** Every chunk waits {@code base} plus up to {@code jitter}; replaces the other faults. */
    public FaultProxy latency(Duration base, Duration jitter) {
        faults = new Faults(base, jitter, 0, Duration.ZERO, 0, false);
        return this;
    }

    /** Each chunk is lost with probability {@code p} and arrives {@code rto} late; keeps the latency in force. */
    public FaultProxy loss(double p, Duration rto) {
        Faults f = faults;
        faults = new Faults(f.latency(), f.jitter(), p, rto, f.reset(), false);
        return this;
    }

    /** Each chunk resets its connection with probability {@code p}; keeps the latency and loss in force. */
    public FaultProxy resets(double p) {
        Faults f = faults;
        faults = new Faults(f.latency(), f.jitter(), f.loss(), f.rto(), p, false);
        return this;
    }

    /** Resets every open connection now (both sides); new connections work. */
    public FaultProxy resetAll() {
        for (Link l : links) {
            l.reset();
        }
        return this;
    }

    /** A partition: nothing gets through until {@link #heal}. */
    public FaultProxy cut() {
        faults = new Faults(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, true);
        return this;
    }

    /** No faults any more; connections caught in a cut are reset so that their clients reconnect. */
    public FaultProxy heal() {
        boolean wasCut = faults.cut();
        faults = Faults.NONE;
        if (wasCut) {
            for (Link l : links) {
                if (l.caught) {
                    l.reset();
                }
            }
        }
        return this;
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void connect(Socket client) {
        Link link = new Link(client);
        links.add(link);
        try {
            while (faults.cut() && open && !link.closed) {
                link.caught = true;
                Thread.sleep(20);
            }
            if (link.closed || !open) {
                return;
            }
            Socket upstream = new Socket();
            upstream.connect(target, 2000);
            link.upstream = upstream;
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Thread.ofVirtual().start(() -> pump(link, client, upstream));
            pump(link, upstream, client);
        } catch (IOException | InterruptedException e) {
            link.reset();
        }
    }

    /** A chunk read at one side, to be written at the other at {@code dueNanos}; {@code length < 0} is the end. */
    private record Chunk(byte[] bytes, int length, long dueNanos) {}

    /**
     * Reads from one side and schedules each chunk for the other: network delay is pipelined (a chunk read at t is due
     * at t + its delay, not after the previous chunk's wait), and order is kept (never due before the previous one).
     */
    private void pump(Link link, Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread writer = Thread.ofVirtual().start(() -> deliver(link, to, queue));
        long lastDue = 0;
        try (InputStream in = from.getInputStream()) {
            while (true) {
                byte[] buf = new byte[16 * 1024];
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                Faults f = faults;
                while (f.cut() && !link.closed) {
                    link.caught = true;
                    Thread.sleep(10);
                    f = faults;
                }
                if (link.closed) {
                    return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                if (f.reset() > 0 && random.nextDouble() < f.reset()) {
                    link.reset();
                    return;
                }
                long delayNanos = f.latency().toNanos();
                if (f.jitter().isPositive()) {
                    delayNanos += random.nextLong(f.jitter().toNanos() + 1);
                }
                if (f.loss() > 0 && random.nextDouble() < f.loss()) {
                    delayNanos += f.rto().toNanos();
                }
                lastDue = Math.max(lastDue, System.nanoTime() + delayNanos);
                queue.add(new Chunk(buf, n, lastDue));
            }
            queue.add(new Chunk(null, -1, lastDue));
        } catch (IOException | InterruptedException e) {
            link.close();
            writer.interrupt();
        }
    }

    private void deliver(Link link, Socket to, BlockingQueue<Chunk> queue) {
        try {
            OutputStream out = to.getOutputStream();
            while (!link.closed) {
                Chunk c = queue.take();
                long wait = c.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                while (faults.cut() && !link.closed) {
                    link.caught = true;
                    Thread.sleep(10);
                }
                if (c.length() < 0 || link.closed) {
                    link.close();
                    return;
                }
                out.write(c.bytes(), 0, c.length());
                out.flush();
                forwardedBytes.addAndGet(c.length());
            }
        } catch (IOException | InterruptedException e) {
            link.close();
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        for (Link l : links) {
            l.close();
        }
    }

    /** One proxied connection. */
    private final class Link {
        final Socket client;
        volatile Socket upstream;
        volatile boolean closed;
        volatile boolean caught;

        Link(Socket client) {
            this.client = client;
        }

        void reset() {
            if (closed) {
                return;
            }
            resetCount.incrementAndGet();
            abort(client);
            abort(upstream);
            close();
        }

        void close() {
            closed = true;
            links.remove(this);
            quietly(client);
            quietly(upstream);
        }

        private static void abort(Socket s) {
            if (s == null) {
                return;
            }
            try {
                s.setSoLinger(true, 0);
            } catch (SocketException e) {
                // Already closed.
            }
        }

        private static void quietly(Socket s) {
            if (s == null) {
                return;
            }
            try {
                s.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }
}
