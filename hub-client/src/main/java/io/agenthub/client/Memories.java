package io.agenthub.client;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code /api/memories}: shared knowledge, written once (duplicates merge), recalled by relevance. */
public final class Memories {
    private final Transport t;

    /** {@code category} is {@code discovery}, {@code decision}, {@code blocker}, {@code learning}, {@code pattern} or {@code warning}. */
    public record Memory(
            String id,
            String category,
            String content,
            List<String> tags,
            String author,
            Instant createdAt,
            int recallCount,
            Instant lastRecalledAt,
            int count,
            List<String> authors,
            Instant updatedAt) {}

    /** A write: the entry, and whether it merged into an existing one. */
    public record Written(Memory memory, boolean merged) {}

    record Remember(String category, String content, List<String> tags) {}

    record MemoryList(List<Memory> memories) {}

    record Forgotten(boolean forgotten, Memory memory) {}

    Memories(Transport t) {
        this.t = t;
    }

    public Written remember(String category, String content, List<String> tags) {
        JsonNode reply = t.post("/api/memories", new Remember(category, content, tags), JsonNode.class);
        return new Written(
                Transport.json().convertValue(reply, Memory.class),
                reply.path("merged").asBoolean());
    }

    /** Entries matching {@code query} (null: any), all {@code tags} and the category (null: any), best first. */
    public List<Memory> recall(String query, List<String> tags, String category, Integer limit) {
        return t.get(
                        Transport.query(
                                "/api/memories", "q", query, "tags", tags, "category", category, "limit", limit),
                        MemoryList.class)
                .memories();
    }

    public Memory get(String id) {
        return t.get("/api/memories/" + Transport.segment(id), Memory.class);
    }

    /** Forgets an entry (its author or an admin). */
    public Memory forget(String id) {
        return t.call("DELETE", "/api/memories/" + Transport.segment(id), null, t.requestTimeout())
                .as(Forgotten.class)
                .memory();
    }

    /** Admin: runs the consolidation now; the hub's report. */
    public JsonNode consolidate() {
        return t.post("/api/memories/consolidate", java.util.Map.of(), JsonNode.class);
    }
}
