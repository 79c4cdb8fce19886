package io.agenthub.cli;

import io.agenthub.server.wire.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Passes a snapshot through to its destination and remembers what {@code hub export} reports afterwards: the bytes
 * written and the snapshot's end line, which carries the record count of every kind.
 */
final class ExportTally extends FilterOutputStream {
    /** Longest line kept to read as the end line; records may be longer, the end line never is. */
    private static final int MAX_LINE = 1 << 20;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private byte[] last = new byte[0];
    private boolean overlong;
    private long bytes;

    ExportTally(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        see((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            see(b[i]);
        }
    }

    private void see(byte b) {
        bytes++;
        if (b == '\n') {
            last = overlong ? new byte[0] : line.toByteArray();
            line.reset();
            overlong = false;
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        } else {
            overlong = true;
        }
    }

    /**
     * What was written, e.g. {@code 12 records (agent 3, lease 9), 4.1 KB}.
     *
     * @throws CliFailure if the snapshot does not end with its end line: it was cut short
     */
    String summary() {
        JsonNode end = last.length == 0 ? null : JsonCodec.MAPPER.readTree(last);
        if (end == null || !"end".equals(end.path("type").asString(""))) {
            throw new CliFailure("The snapshot ended without its end line, so it is incomplete (the hub may"
                    + " have stopped during the export); run the export again.");
        }
        Map<String, Long> counts = new TreeMap<>();
        end.path("counts")
                .properties()
                .forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return describe(end.path("records").asLong(), counts, bytes);
    }

    static String describe(long records, Map<String, Long> counts, long bytes) {
        StringBuilder kinds = new StringBuilder();
        new TreeMap<>(counts)
                .forEach((kind, n) -> kinds.append(kinds.isEmpty() ? "" : ", ")
                        .append(kind)
                        .append(' ')
                        .append(n));
        return records + " records" + (kinds.isEmpty() ? "" : " (" + kinds + ")") + ", " + size(bytes);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double kb = bytes / 1024.0;
        return kb < 1024
                ? String.format(Locale.ROOT, "%.1f KB", kb)
                : String.format(Locale.ROOT, "%.1f MB", kb / 1024.0);
    }
}
