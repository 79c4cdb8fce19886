package io.agenthub.server.http;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryService;
import io.agenthub.server.wire.JsonCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/memories}: shared knowledge, written once (a duplicate merges into the first), recalled by relevance,
 * forgotten by its author or an admin, consolidated on a schedule or by an admin.
 */
public final class MemoryRoutes {
    private static final tools.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new tools.jackson.core.type.TypeReference<>() {};

    private final MemoryService memories;

    record RememberBody(String category, String content, List<String> tags) {}

    public MemoryRoutes(MemoryService memories) {
        this.memories = memories;
    }

    public void register(Router r) {
        r.post("/api/memories", Access.WRITE, call -> {
            RememberBody b = call.body(RememberBody.class);
            MemoryService.Remembered written = memories.write(
                    call.principal(), Memory.Category.parse("category", b.category()), b.content(), b.tags());
            // The entry's own fields, as before, plus whether the write merged into an existing entry (200) or made a
            // new one (201).
            Map<String, Object> body = new LinkedHashMap<>(JsonCodec.MAPPER.convertValue(written.memory(), MAP));
            body.put("merged", written.merged());
            return written.merged() ? Reply.ok(body) : Reply.created(body);
        });
        r.post("/api/memories/consolidate", Access.ADMIN, call -> Reply.ok(memories.consolidate()));
        r.get("/api/memories", Access.READ, call -> {
            List<Memory> found = memories.recall(
                    call.query("q"),
                    call.queryAll("tags"),
                    Memory.Category.parse("category", call.query("category")),
                    limit(call));
            return Reply.ok(Map.of("memories", found));
        });
        r.get("/api/memories/{id}", Access.READ, call -> Reply.ok(memories.get(call.path("id"))));
        r.delete("/api/memories/{id}", Access.WRITE, call -> {
            Memory forgotten = memories.forget(call.principal(), call.path("id"));
            return Reply.ok(Map.of("forgotten", true, "memory", forgotten));
        });
    }

    private Integer limit(Call call) {
        return call.queryInt("limit", 1, memories.policy().maxLimit());
    }
}
