package io.agenthub.store.redis;

import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the tests' own on a free loopback port, without persistence, killed when closed (or when
 * the JVM exits). Tests never use a Redis that happens to be running. Without a {@code redis-server} binary the tests
 * that need one are skipped, except under {@code CI=true}, where they fail.
 */
public final class LocalRedisServer implements AutoCloseable {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static LocalRedisServer shared;

    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private LocalRedisServer(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** One server for the whole test JVM; tests keep apart by using {@link #freshPrefix()}. */
    public static synchronized LocalRedisServer shared() {
        if (shared == null || !shared.isRunning()) {
            shared = start();
            LocalRedisServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A dedicated server, for tests that stop or pause it. */
    public static LocalRedisServer start(String... extraArgs) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            LocalRedisServer server = new LocalRedisServer(freePort(), List.of(extraArgs));
            try {
                server.launch();
                return server;
            } catch (IOException e) {
                last = e;
                server.close();
            }
        }
        String why = "Cannot start redis-server for the Redis tests (" + last.getMessage()
                + "). Install it with scripts/test-deps.sh (Debian package redis-server).";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why, last);
        }
        Assumptions.abort(why);
        throw new AssertionError("unreachable");
    }

    /** A key prefix no other test uses, so that each test sees an empty hub. */
    public String freshPrefix() {
        return "t" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + ":";
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * How many times this server has run the given commands, summed, from {@code INFO commandstats} (names as it
     * reports them: {@code hmget}, {@code evalsha}, {@code client|pause}).
     */
    public long calls(String... commands) {
        return commandStat("calls", commands);
    }

    /**
     * Microseconds this server has spent in the given commands, summed, from {@code INFO commandstats} (a script's
     * time counts under {@code evalsha}, with the commands it ran counted again under their own names).
     */
    public long micros(String... commands) {
        return commandStat("usec", commands);
    }

    /** One field of {@code INFO commandstats} summed over the given commands. */
    private long commandStat(String field, String... commands) {
        RedisClient client = RedisClient.create(url());
        try (var c = client.connect()) {
            long n = 0;
            for (String line : c.sync().info("commandstats").split("\\r?\\n")) {
                for (String command : commands) {
                    if (line.startsWith("cmdstat_" + command + ":")) {
                        int from = line.indexOf(field + "=") + field.length() + 1;
                        int to = line.indexOf(',', from);
                        n += Long.parseLong(to < 0 ? line.substring(from) : line.substring(from, to));
                    }
                }
            }
            return n;
        } finally {
            client.shutdown();
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server again on the same port; it has the data it persisted, if it was started with persistence. */
    public void restart() throws IOException {
        close();
        launch();
    }

    /** Kills the server at once (SIGKILL), as a crash does; {@link #restart()} brings it back. */
    public void crash() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Freezes the server process (SIGSTOP): connections stay open and nothing answers. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a paused server run again (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    private void launch() throws IOException {
        Path log = Files.createTempFile("redis-test-" + port, ".log");
        List<String> command = new java.util.ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no"));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException("redis-server is not installed or cannot run: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(log));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
        throw new IOException("redis-server did not answer on port " + port + ": " + Files.readString(log));
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            // A server that wants a password answers -NOAUTH: it is up all the same.
            String answer = n > 0 ? new String(reply, 0, n, StandardCharsets.US_ASCII) : "";
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port that nothing listens on now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server (SIGKILL after a short grace) and waits for it to exit. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
