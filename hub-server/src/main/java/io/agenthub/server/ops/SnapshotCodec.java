package io.agenthub.server.ops;

import io.agenthub.error.HubException;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.snapshot.SnapshotRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The snapshot file format: JSON lines, UTF-8.
 *
 * <pre>
 * {"format":"agent-hub-snapshot","version":1,"createdAt":"...","hubVersion":"0.1.0","backend":"sqlite"}
 * {"type":"agent","data":{...}}            one line per record, grouped by type in SnapshotRecord.ORDER
 * ...
 * {"type":"end","records":123,"counts":{"agent":2,...}}
 * </pre>
 *
 * A reader refuses another format, a newer version, an unknown record type, and a file without its end line or whose
 * counts differ (a truncated or edited file). Fields of a record are the JSON form of the core records (times in
 * ISO-8601 UTC, enums lowercase); unknown fields are ignored, so a newer hub can add fields within version 1.
 */
public final class SnapshotCodec {
    public static final String FORMAT = "agent-hub-snapshot";
    public static final int VERSION = 1;

    private SnapshotCodec() {}

    /** Writes snapshots line by line. */
    public static final class Writer {
        private final OutputStream out;
        private final Map<String, Long> counts = new TreeMap<>();
        private long records;

        public Writer(OutputStream out, String hubVersion, String backend, Instant createdAt) {
            this.out = out;
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("format", FORMAT);
            header.put("version", VERSION);
            header.put("createdAt", createdAt.toString());
            header.put("hubVersion", hubVersion);
            header.put("backend", backend);
            line(header);
        }

        public void write(SnapshotRecord r) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", r.type());
            line.put("data", r);
            line(line);
            counts.merge(r.type(), 1L, Long::sum);
            records++;
        }

        /** Writes the end line and flushes. */
        public void finish() {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("type", "end");
            end.put("records", records);
            end.put("counts", counts);
            line(end);
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Map<String, Long> counts() {
            return Map.copyOf(counts);
        }

        private void line(Object value) {
            try {
                out.write(JsonCodec.MAPPER.writeValueAsBytes(value));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Reads a snapshot. The header is checked at once; records are read as the iterator advances; the end line is
     * checked when the iterator is exhausted, which throws if the file was truncated. Restores are atomic, so a bad end
     * line rolls the whole restore back.
     */
    public static Iterator<SnapshotRecord> read(BufferedReader in) {
        JsonNode header = readLine(in, 1);
        if (header == null || !FORMAT.equals(header.path("format").asString(""))) {
            throw bad("it does not start with an agent-hub-snapshot header");
        }
        int version = header.path("version").asInt(0);
        if (version < 1 || version > VERSION) {
            throw bad("it has format version " + version + "; this hub reads version " + VERSION);
        }
        return new Iterator<>() {
            private long lineNo = 1;
            private SnapshotRecord pending;
            private boolean ended;
            private final Map<String, Long> counts = new TreeMap<>();

            @Override
            public boolean hasNext() {
                if (pending != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                JsonNode node = readLine(in, ++lineNo);
                if (node == null) {
                    throw bad("it ends without its end line (truncated?)");
                }
                String type = node.path("type").asString("");
                if (type.equals("end")) {
                    ended = true;
                    check(node);
                    return false;
                }
                Class<? extends SnapshotRecord> cls = SnapshotRecord.TYPES.get(type);
                if (cls == null) {
                    throw bad("line " + lineNo + " has unknown record type '" + type + "'");
                }
                try {
                    pending = JsonCodec.MAPPER.treeToValue(node.path("data"), cls);
                } catch (RuntimeException e) {
                    throw bad("line " + lineNo + " is not a valid " + type + " record: " + e.getMessage());
                }
                counts.merge(type, 1L, Long::sum);
                return true;
            }

            @Override
            public SnapshotRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SnapshotRecord r = pending;
                pending = null;
                return r;
            }

            private void check(JsonNode end) {
                Map<String, Long> declared = new TreeMap<>();
                JsonNode c = end.path("counts");
                if (c instanceof ObjectNode o) {
                    o.properties()
                            .forEach(e -> declared.put(e.getKey(), e.getValue().asLong()));
                }
                if (!declared.equals(counts)) {
                    throw bad("its end line declares " + declared + " but it holds " + counts);
                }
            }
        };
    }

    private static JsonNode readLine(BufferedReader in, long lineNo) {
        try {
            String line;
            do {
                line = in.readLine();
            } while (line != null && line.isBlank());
            return line == null ? null : JsonCodec.MAPPER.readTree(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw bad("line " + lineNo + " is not JSON: " + e.getMessage());
        }
    }

    private static HubException bad(String why) {
        return new HubException.InvalidRequest("This is not a usable snapshot: " + why + ".");
    }
}
