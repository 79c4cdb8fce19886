package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.STRING;
import static io.agenthub.server.mcp.Params.Type.STRING_ARRAY;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryService;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared memory tools: the same {@link MemoryService} as {@code /api/memories}. */
final class MemoryTools {
    private static final List<String> CATEGORIES =
            Arrays.stream(Memory.Category.values()).map(Memory.Category::label).toList();

    private final MemoryService memories;

    MemoryTools(MemoryService memories) {
        this.memories = memories;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                        "memory_remember",
                        "Remember for the team",
                        "Store knowledge for the whole team: a discovery, decision, blocker, learning, pattern or"
                                + " warning. Entries are shared and never edited; forget and re-add to correct one."
                                + " Writing what an entry already says (same words in any case, punctuation or word"
                                + " form) merges into it: merged is true and its count, tags and authors grow.",
                        Params.of()
                                .choice("category", "Kind of knowledge", true, CATEGORIES)
                                .required("content", STRING, "The knowledge, self-contained")
                                .optional("tags", STRING_ARRAY, "Keywords for recall, e.g. module names"),
                        Shapes.object(Shapes.MEMORY),
                        (caller, a) -> {
                            MemoryService.Remembered r = memories.write(
                                    caller,
                                    Memory.Category.parse("category", a.string("category")),
                                    a.string("content"),
                                    a.strings("tags"));
                            Memory m = r.memory();
                            Map<String, Object> structured = new LinkedHashMap<>(Results.json(m));
                            structured.put("merged", r.merged());
                            return Results.ok(
                                    r.merged()
                                            ? "Already known: merged into " + m.id() + " (written " + m.count()
                                                    + " times)."
                                            : "Remembered " + m.id() + ".",
                                    structured);
                        }),
                HubTool.read(
                        "memory_recall",
                        "Recall shared memory",
                        "Search the team's shared memory, best match first (newest first without a query).",
                        Params.of()
                                .optional("query", STRING, "Free text; any word may match")
                                .optional("tags", STRING_ARRAY, "Entries must carry all these tags")
                                .choice("category", "Only this kind", false, CATEGORIES)
                                .optional("limit", INTEGER, "Most entries to return; default 10"),
                        Shapes.object("memories:array"),
                        (caller, a) -> {
                            List<Memory> found = memories.recall(
                                    a.string("query"),
                                    a.strings("tags"),
                                    Memory.Category.parse("category", a.string("category")),
                                    a.smallInteger("limit"));
                            return Results.ok(
                                    Lines.list(
                                            found.size() + " memory entr" + (found.size() == 1 ? "y." : "ies."),
                                            found,
                                            Lines::memory),
                                    Map.of("memories", found));
                        }),
                HubTool.read(
                        "memory_get",
                        "Read a memory",
                        "Read one shared memory entry by id (does not count as a recall).",
                        Params.of().required("id", STRING, "Entry id, e.g. mem-1a2b..."),
                        Shapes.object(Shapes.MEMORY),
                        (caller, a) -> {
                            Memory m = memories.get(a.string("id"));
                            return Results.ok(Lines.memory(m), m);
                        }),
                HubTool.write(
                                "memory_forget",
                                "Forget a memory",
                                "Delete a memory entry you wrote (admins may delete any).",
                                Params.of().required("id", STRING, "Entry id, e.g. mem-1a2b..."),
                                Shapes.object("forgotten:boolean", "memory:object"),
                                (caller, a) -> {
                                    Memory m = memories.forget(caller, a.string("id"));
                                    return Results.ok("Forgot " + m.id() + ".", Map.of("forgotten", true, "memory", m));
                                })
                        .asDestructive()
                        .asIdempotent());
    }
}
