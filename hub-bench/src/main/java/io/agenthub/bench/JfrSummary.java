package io.agenthub.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the hub: where its CPU time went, by part of the request path (SQLite statement
 * preparation, commits, socket syscalls, Jetty, Jackson, auth...), and the hottest methods. It prefers
 * {@code jdk.CPUTimeSample} (JDK 25+, which scripts/bench.sh enables with {@code BENCH_JFR=1}): those samples are
 * taken by CPU time, so time in native code (SQLite, syscalls) counts. Older recordings fall back to
 * {@code jdk.ExecutionSample}, which sees Java code only.
 *
 * <p>Usage: {@code java -cp hub-bench/target/bench.jar io.agenthub.bench.JfrSummary hub.jfr [top-methods]}
 */
public final class JfrSummary {
    /** A part of the request path, recognised by the frames of a sample's stack (top first). */
    private record Category(String name, Predicate<List<String>> matches) {}

    private static final List<Category> CATEGORIES = List.of(
            new Category("SQLite: statement preparation (native)", s -> top(s, "NativeDB.prepare")),
            new Category(
                    "SQLite: COMMIT (native)",
                    s -> top(s, "NativeDB.") && any(s.subList(0, Math.min(6, s.size())), ".commit")),
            new Category("SQLite: statement execution (native)", s -> top(s, "NativeDB.")),
            new Category("SQLite: JDBC driver (Java)", s -> any(s, "org.sqlite.")),
            new Category("hub: SQLite stores (Java)", s -> any(s, "io.agenthub.store.sqlite.")),
            new Category("socket write syscalls", s -> top(s, "writev0") || top(s, "write0")),
            new Category("socket read syscalls", s -> top(s, "read0")),
            new Category("selector syscalls (epoll, wake-ups)", s -> top(s, "EPoll.") || top(s, "EventFD.")),
            new Category("request body read (Call.rawBody)", s -> any(s, "Call.rawBody")),
            new Category("JSON parse (Jackson)", s -> any(s, "ObjectMapper.readValue") || any(s, "readTree")),
            new Category(
                    "JSON write (Jackson)", s -> any(s, "writeValueAsBytes") || any(s, "ObjectMapper.convertValue")),
            new Category("auth: SHA-256 of the bearer token", s -> any(s, "Secrets.hash")),
            new Category("auth: cache and last-seen", s -> any(s, "Hub.authenticate")),
            new Category("response write (servlet output)", s -> any(s, "Router.send")),
            new Category("hub: routing and services (Java)", s -> any(s, "io.agenthub.")),
            new Category("Jetty: HTTP parsing", s -> any(s, "HttpParser.")),
            new Category("Jetty: connections, servlet plumbing", s -> any(s, "org.eclipse.jetty.")),
            new Category(
                    "virtual-thread scheduling",
                    s -> any(s, "java.lang.VirtualThread") || any(s, "ForkJoin") || any(s, "Continuation")),
            new Category("JFR itself", s -> any(s, "jdk.jfr.")),
            new Category("other", s -> true));

    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("Usage: JfrSummary <recording.jfr> [top-methods]");
            System.exit(2);
        }
        int topMethods = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.print(summarise(Path.of(args[0]), topMethods));
    }

    static String summarise(Path file, int topMethods) throws IOException {
        List<List<String>> cpu = new ArrayList<>();
        List<List<String>> execution = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.CPUTimeSample") || type.equals("jdk.ExecutionSample")) {
                    List<String> frames = frames(e.getStackTrace());
                    if (!frames.isEmpty()) {
                        (type.equals("jdk.CPUTimeSample") ? cpu : execution).add(frames);
                    }
                }
            }
        }
        boolean byCpu = !cpu.isEmpty();
        List<List<String>> samples = byCpu ? cpu : execution;
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%d %s samples from %s%n%n",
                samples.size(),
                byCpu ? "CPU-time (jdk.CPUTimeSample)" : "Java execution (jdk.ExecutionSample; native time not seen)",
                file.getFileName()));
        if (samples.isEmpty()) {
            return out.toString();
        }
        Map<String, Integer> byCategory = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> byCategory.put(c.name(), 0));
        Map<String, Integer> byMethod = new LinkedHashMap<>();
        for (List<String> s : samples) {
            for (Category c : CATEGORIES) {
                if (c.matches().test(s)) {
                    byCategory.merge(c.name(), 1, Integer::sum);
                    break;
                }
            }
            byMethod.merge(s.getFirst(), 1, Integer::sum);
        }
        table(out, "where the hub's CPU went", byCategory, samples.size(), Integer.MAX_VALUE);
        out.append('\n');
        table(out, "hottest methods (self)", byMethod, samples.size(), topMethods);
        return out.toString();
    }

    private static void table(StringBuilder out, String title, Map<String, Integer> counts, int total, int limit) {
        out.append("| share | ").append(title).append(" |\n|--:|---|\n");
        counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> b.getValue() - a.getValue())
                .limit(limit)
                .forEach(e -> out.append(
                        String.format(Locale.ROOT, "| %.1f%% | %s |%n", 100.0 * e.getValue() / total, e.getKey())));
    }

    private static List<String> frames(RecordedStackTrace trace) {
        List<String> out = new ArrayList<>();
        if (trace != null) {
            for (RecordedFrame f : trace.getFrames()) {
                out.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
            }
        }
        return out;
    }

    private static boolean top(List<String> stack, String part) {
        return stack.getFirst().contains(part);
    }

    private static boolean any(List<String> stack, String part) {
        for (String frame : stack) {
            if (frame.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
