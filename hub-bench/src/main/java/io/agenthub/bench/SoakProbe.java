package io.agenthub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the soak samples of the hub process and its store: heap in use (the hub's own {@code /metrics}), resident set
 * size and open file descriptors ({@code /proc/<pid>}, Linux), and the store's size: the bytes of the SQLite data
 * directory, or Redis's {@code used_memory} (INFO over a plain socket). A value that cannot be read is -1.
 */
final class SoakProbe {
    private static final Pattern HEAP =
            Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+([0-9.eE+-]+)");
    private static final Pattern USED_MEMORY = Pattern.compile("used_memory:(\\d+)");

    private final HubHttp http;
    private final String token;
    private final long pid;
    private final Path storeDir;
    private final int redisPort;

    /**
     * @param pid the hub's process id, 0 if unknown
     * @param storeDir the SQLite data directory, or null
     * @param redisPort Redis's loopback port, or 0
     */
    SoakProbe(HubHttp http, String token, long pid, Path storeDir, int redisPort) {
        this.http = http;
        this.token = token;
        this.pid = pid;
        this.storeDir = storeDir;
        this.redisPort = redisPort;
    }

    long heapBytes() throws InterruptedException {
        Response r = http.send(0, http.get("/metrics", token, Duration.ofSeconds(10)));
        if (!r.is(200)) {
            return -1;
        }
        Matcher m = HEAP.matcher(new String(r.body(), StandardCharsets.UTF_8));
        double sum = 0;
        boolean any = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            any = true;
        }
        return any ? (long) sum : -1;
    }

    long rssBytes() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    long openFiles() {
        if (pid <= 0) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    long storeBytes() {
        if (redisPort > 0) {
            return redisUsedMemory();
        }
        if (storeDir == null) {
            return -1;
        }
        try (Stream<Path> files = Files.walk(storeDir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private long redisUsedMemory() {
        try (Socket s = new Socket("127.0.0.1", redisPort)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder reply = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                Matcher m = USED_MEMORY.matcher(reply);
                if (m.find() && reply.indexOf("\r\n", m.end()) >= 0) {
                    return Long.parseLong(m.group(1));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
