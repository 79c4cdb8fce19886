package io.agenthub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Counts established TCP connections to a local port by reading {@code /proc/net/tcp} and {@code /proc/net/tcp6}: the
 * operating system's view of how many connections the hub holds, independent of what the HTTP client reports. Linux
 * only; elsewhere the count is -1.
 */
final class TcpSockets {
    private static final String ESTABLISHED = "01";

    private TcpSockets() {}

    /** Client-side sockets in state ESTABLISHED whose remote port is one of {@code ports}, or -1 if unknown. */
    static int establishedTo(Collection<Integer> ports) {
        int sum = 0;
        for (int port : ports) {
            int n = establishedTo(port);
            if (n < 0) {
                return -1;
            }
            sum += n;
        }
        return sum;
    }

    /** Client-side sockets in state ESTABLISHED whose remote port is {@code port}, or -1 if unknown. */
    static int establishedTo(int port) {
        String suffix = ":" + String.format(Locale.ROOT, "%04X", port);
        int count = 0;
        boolean read = false;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(p)) {
                count += (int) lines.skip(1)
                        .map(String::trim)
                        .map(l -> l.split("\\s+", 5))
                        .filter(f -> f.length >= 4 && f[3].equals(ESTABLISHED) && f[2].endsWith(suffix))
                        .count();
                read = true;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return read ? count : -1;
    }
}
