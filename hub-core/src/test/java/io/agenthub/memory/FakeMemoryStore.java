package io.agenthub.memory;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A memory store for service tests: any-word substring match, newest first, no ranking. */
final class FakeMemoryStore implements MemoryStore {
    final Map<String, Memory> live = new LinkedHashMap<>();
    final Map<String, String> deletedBy = new LinkedHashMap<>();

    @Override
    public synchronized boolean add(Memory memory, MemoryQuota quota) {
        if (live.containsKey(memory.id()) || deletedBy.containsKey(memory.id())) {
            return false;
        }
        long entries = 1
                + live.values().stream()
                        .filter(m -> m.author().equals(memory.author()))
                        .count();
        long bytes = live.values().stream()
                        .filter(m -> m.author().equals(memory.author()))
                        .mapToLong(m -> m.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .sum()
                + memory.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (!quota.admits(entries, bytes)) {
            throw quota.exceeded(memory.author(), entries, bytes);
        }
        live.put(memory.id(), memory);
        return true;
    }

    @Override
    public synchronized Optional<Memory> find(String id) {
        return Optional.ofNullable(live.get(id));
    }

    @Override
    public synchronized List<Memory> search(String query, List<String> tags, Memory.Category category, int limit) {
        List<String> words = query == null
                ? List.of()
                : Arrays.stream(query.toLowerCase(Locale.ROOT).split("\\W+"))
                        .filter(w -> !w.isEmpty())
                        .toList();
        return live.values().stream()
                .filter(m -> category == null || m.category() == category)
                .filter(m -> m.tags().containsAll(tags))
                .filter(m -> words.isEmpty()
                        || words.stream()
                                .anyMatch(w ->
                                        m.content().toLowerCase(Locale.ROOT).contains(w)))
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean delete(String id, String by, Instant now) {
        if (live.remove(id) == null) {
            return false;
        }
        deletedBy.put(id, by);
        return true;
    }

    @Override
    public synchronized int recordRecall(Collection<String> ids, Instant now) {
        Set<String> unique = new LinkedHashSet<>(ids);
        int n = 0;
        for (String id : unique) {
            Memory m = live.get(id);
            if (m != null) {
                live.put(id, m.recalledAt(now));
                n++;
            }
        }
        return n;
    }
}
