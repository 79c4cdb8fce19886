package io.agenthub.server.http;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryService;
import java.util.List;
import java.util.Map;

/** {@code /api/memories}: shared knowledge, written once, recalled by relevance, forgotten by its author or an admin. */
public final class MemoryRoutes {
    private final MemoryService memories;

    record RememberBody(String category, String content, List<String> tags) {}

    public MemoryRoutes(MemoryService memories) {
        this.memories = memories;
    }

    public void register(Router r) {
        r.post("/api/memories", Access.WRITE, call -> {
            RememberBody b = call.body(RememberBody.class);
            return Reply.created(memories.remember(
                    call.principal(), Memory.Category.parse("category", b.category()), b.content(), b.tags()));
        });
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
