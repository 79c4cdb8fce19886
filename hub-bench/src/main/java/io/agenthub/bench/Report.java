package io.agenthub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders results as a Markdown table with notes, and as JSON. */
final class Report {
    private Report() {}

    static String markdown(Map<String, String> meta, List<WorkloadResult> results) {
        StringBuilder out = new StringBuilder();
        meta.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        out.append('\n');
        out.append(
                "| workload | operation | count | ok/s | p50 ms | p90 ms | p99 ms | max ms | conflicts | errors |\n");
        out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (WorkloadResult r : results) {
            for (OpStats o : r.ops()) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %.0f | %s | %s | %s | %s | %d | %d |%n",
                        r.workload(),
                        o.op(),
                        o.count(),
                        o.perSecond(),
                        ms(o.p50()),
                        ms(o.p90()),
                        ms(o.p99()),
                        ms(o.max()),
                        o.conflicts(),
                        o.errors()));
            }
        }
        out.append('\n');
        for (WorkloadResult r : results) {
            out.append(
                    String.format(Locale.ROOT, "- **%s**: %s; %.0f s measured.", r.workload(), r.setup(), r.seconds()));
            r.facts().forEach((k, v) -> {
                if (!(v instanceof Map)) {
                    out.append(' ').append(k).append(": ").append(fact(k, v)).append('.');
                }
            });
            out.append('\n');
            // Figures per hub node or process (several nodes) get a line each.
            r.facts().forEach((k, v) -> {
                if (v instanceof Map<?, ?> parts) {
                    out.append("  - ").append(k).append(':');
                    parts.forEach((part, x) -> out.append(' ')
                            .append(part)
                            .append(' ')
                            .append(fact(k, x))
                            .append(','));
                    out.setLength(out.length() - 1);
                    out.append('\n');
                }
            });
            for (OpStats o : r.ops()) {
                if (!o.errorKinds().isEmpty() && !o.op().equals("all operations")) {
                    out.append("  - ").append(o.op()).append(" errors:");
                    o.errorKinds()
                            .forEach((k, v) -> out.append(" `")
                                    .append(k)
                                    .append("` x")
                                    .append(v)
                                    .append(';'));
                    out.setLength(out.length() - 1);
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    static void json(Path file, Map<String, String> meta, List<WorkloadResult> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meta", meta);
        doc.put("results", results);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, HubHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
    }

    private static String ms(Double v) {
        if (v == null) {
            return "-";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    }

    private static String fact(String key, Object v) {
        if (v instanceof Double d && key.endsWith("ratio")) {
            return String.format(Locale.ROOT, "%.1f%%", d * 100);
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
        }
        return String.valueOf(v);
    }
}
