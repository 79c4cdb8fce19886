package io.agenthub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operating-system limits that bound how many connections one generator can hold against one hub port: the
 * open-file limit of this process (each socket is a file descriptor; the hub needs as many on its side), the
 * ephemeral port range (each connection to the same address and port needs its own local port; a port stays in
 * TIME_WAIT for a minute after the side that closes first lets go) and the listen backlog ({@code somaxconn}, which
 * caps the hub's accept queue when thousands connect at once). Read from {@code /proc} on Linux; unknown elsewhere.
 */
record ClientLimits(Optional<Long> openFiles, Optional<int[]> portRange, Optional<Integer> somaxconn) {
    static ClientLimits read() {
        return new ClientLimits(readOpenFiles(), readPortRange(), readSomaxconn());
    }

    /** One line for the report header. */
    String describe() {
        return "open files " + openFiles.map(String::valueOf).orElse("unknown") + ", ephemeral ports "
                + portRange
                        .map(r -> r[0] + "-" + r[1] + " (" + (r[1] - r[0] + 1) + ")")
                        .orElse("unknown")
                + ", somaxconn " + somaxconn.map(String::valueOf).orElse("unknown");
    }

    /** Warnings if holding {@code sockets} connections at once would run into a limit. */
    List<String> check(int sockets) {
        List<String> out = new ArrayList<>();
        openFiles
                .filter(n -> sockets + 256 > n)
                .ifPresent(n -> out.add("about " + sockets + " sockets are needed but the open-file limit is " + n
                        + "; raise it with ulimit -n (the hub needs as many)."));
        portRange
                .filter(r -> sockets > r[1] - r[0] + 1)
                .ifPresent(r -> out.add("about " + sockets + " connections to one port need as many ephemeral ports,"
                        + " but only " + (r[1] - r[0] + 1) + " are configured (net.ipv4.ip_local_port_range)."));
        return out;
    }

    /** The first line of a {@code /proc} file; {@code Files.readString} returns only its first byte for some. */
    private static String firstLine(String file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(file));
        return lines.isEmpty() ? "" : lines.getFirst();
    }

    private static Optional<Long> readOpenFiles() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Optional.of(Long.MAX_VALUE) : Optional.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable.
        }
        return Optional.empty();
    }

    private static Optional<int[]> readPortRange() {
        try {
            String[] f =
                    firstLine("/proc/sys/net/ipv4/ip_local_port_range").trim().split("\\s+");
            return Optional.of(new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> readSomaxconn() {
        try {
            return Optional.of(
                    Integer.parseInt(firstLine("/proc/sys/net/core/somaxconn").trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
