package io.agenthub.server.claude;

import io.agenthub.server.wire.JsonCodec;
import io.agenthub.usage.ModelCall;
import io.agenthub.usage.TranscriptCursor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the part of a Claude Code session transcript (JSON lines) after a cursor and sums the token usage of the model
 * messages in it. A model message is written as several lines (one per content block) that repeat its {@code id} and
 * {@code usage}; each id counts once, with the usage of its last line. Only complete lines are read, at most
 * {@link #MAX_BYTES} per call; the rest waits for the next call.
 */
final class TranscriptUsage {
    /** Most bytes read per call. */
    static final int MAX_BYTES = 8 << 20;

    /** What the new part of a transcript holds. */
    record Read(
            List<ModelCall> calls, Long contextTokens, Set<String> filesEdited, TranscriptCursor next, boolean moved) {}

    private TranscriptUsage() {}

    static Read read(Path file, TranscriptCursor from) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            // A shorter file than the cursor was replaced or truncated: start again from its beginning.
            TranscriptCursor start = length < from.offset() ? TranscriptCursor.START : from;
            int want = (int) Math.min(MAX_BYTES, length - start.offset());
            byte[] bytes = new byte[Math.max(0, want)];
            raf.seek(start.offset());
            raf.readFully(bytes);
            int end = lastNewline(bytes);
            if (end < 0) {
                return new Read(List.of(), null, Set.of(), start, !start.equals(from));
            }
            return sum(new String(bytes, 0, end + 1, StandardCharsets.UTF_8), start, start.offset() + end + 1);
        }
    }

    private static Read sum(String text, TranscriptCursor start, long offset) {
        Map<String, JsonNode> messages = new LinkedHashMap<>();
        Set<String> files = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            JsonNode entry = parse(line);
            JsonNode message = entry.path("message");
            if (!"assistant".equals(entry.path("type").asString(""))
                    || !message.path("usage").isObject()) {
                continue;
            }
            String id = message.path("id").asString(entry.path("uuid").asString(""));
            if (id.isEmpty() || id.equals(start.lastMessageId())) {
                continue;
            }
            messages.remove(id);
            messages.put(id, message);
            for (JsonNode block : message.path("content")) {
                if ("tool_use".equals(block.path("type").asString(""))
                        && ClaudeHooks.EDIT_TOOLS.contains(block.path("name").asString(""))) {
                    String path = ClaudeHooks.editedPath(block.path("input"));
                    if (!path.isEmpty() && files.size() < 200) {
                        files.add(path);
                    }
                }
            }
        }
        Map<String, long[]> byModel = new LinkedHashMap<>();
        String last = start.lastMessageId();
        Long context = null;
        for (Map.Entry<String, JsonNode> e : messages.entrySet()) {
            JsonNode u = e.getValue().path("usage");
            long in = u.path("input_tokens").asLong(0);
            long out = u.path("output_tokens").asLong(0);
            long read = u.path("cache_read_input_tokens").asLong(0);
            long write = u.path("cache_creation_input_tokens").asLong(0);
            String model = e.getValue().path("model").asString("");
            if (model.isEmpty() || model.startsWith("<")) {
                continue; // synthetic messages (such as "<synthetic>") cost nothing
            }
            long[] sum = byModel.computeIfAbsent(model, m -> new long[4]);
            sum[0] += in;
            sum[1] += out;
            sum[2] += read;
            sum[3] += write;
            context = in + read + write + out;
            last = e.getKey();
        }
        List<ModelCall> calls = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, long[]> e : byModel.entrySet()) {
            long[] s = e.getValue();
            boolean lastModel = ++i == byModel.size();
            calls.add(new ModelCall(e.getKey(), s[0], s[1], s[2], s[3], lastModel ? context : null));
        }
        return new Read(calls, context, files, new TranscriptCursor(offset, last), true);
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return JsonCodec.MAPPER.missingNode();
        }
        try {
            return JsonCodec.MAPPER.readTree(line);
        } catch (JacksonException e) {
            return JsonCodec.MAPPER.missingNode();
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
