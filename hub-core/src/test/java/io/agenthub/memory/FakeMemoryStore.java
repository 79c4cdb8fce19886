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

/** A memory store for service tests: any-stem match, newest first, no ranking; duplicates by fingerprint. */
final class FakeMemoryStore implements MemoryStore {
    final Map<String, Memory> live = new LinkedHashMap<>();
    final Map<String, String> deletedBy = new LinkedHashMap<>();

    @Override
    public synchronized Optional<Added> add(Memory memory, MemoryQuota quota) {
        if (live.containsKey(memory.id()) || deletedBy.containsKey(memory.id())) {
            return Optional.empty();
        }
        String fp = MemoryWords.fingerprint(memory.category(), memory.content());
        for (Memory m : live.values()) {
            if (MemoryWords.fingerprint(m.category(), m.content()).equals(fp)) {
                Memory merged = m.absorb(memory, memory.createdAt());
                live.put(m.id(), merged);
                return Optional.of(new Added(merged, true));
            }
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
        return Optional.of(new Added(memory, false));
    }

    @Override
    public synchronized Optional<Memory> merge(String intoId, String fromId, Instant now) {
        Memory into = live.get(intoId);
        Memory from = live.get(fromId);
        if (into == null || from == null || intoId.equals(fromId)) {
            return Optional.empty();
        }
        Memory merged = into.absorb(from, now);
        live.put(intoId, merged);
        live.remove(fromId);
        deletedBy.put(fromId, "hub");
        return Optional.of(merged);
    }

    @Override
    public synchronized List<String> decay(Instant before, int limit, Instant now) {
        List<String> ids = live.values().stream()
                .filter(m -> m.recallCount() == 0 && m.updatedAt().isBefore(before))
                .sorted((a, b) -> a.updatedAt().compareTo(b.updatedAt()))
                .limit(limit)
                .map(Memory::id)
                .toList();
        ids.forEach(id -> delete(id, "hub", now));
        return ids;
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
                                .anyMatch(w -> MemoryWords.stems(m.content()).contains(PorterStemmer.stem(w))))
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
