package io.agenthub.store.redis;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryQuota;
import io.agenthub.memory.MemoryStore;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shared memory on plain Redis 7, without modules: an inverted index kept by the same scripts that write entries.
 * Each word has a hash of postings (entry to weighted term frequency; a word in a tag counts {@link
 * MemoryText#TAG_WEIGHT} times), each tag and category a set of entries, and a sorted set orders live entries by time.
 * {@code search} ranks with BM25 inside one read-only script, so it reads a consistent index in one round trip.
 *
 * <p>Cost: a search reads every posting of every query word (a prefix word expands to at most 64 indexed words), so a
 * word found in N entries costs O(N) steps on the Redis server, during which Redis serves no one else; a tag or
 * category filter without words costs O(size of the smallest set). Writes cost one hash field per distinct word. This
 * suits the thousands to tens of thousands of entries a hub's memory holds; a far larger corpus wants RediSearch or an
 * external index.
 */
final class RedisMemoryStore implements MemoryStore {
    private static final LuaScript ADD = LuaScript.load("memory-add");
    private static final LuaScript FIND = LuaScript.load("memory-find");
    private static final LuaScript DELETE = LuaScript.load("memory-delete");
    private static final LuaScript RECALL = LuaScript.load("memory-recall");
    private static final LuaScript SEARCH = LuaScript.load("memory-search");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisMemoryStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public boolean add(Memory m, MemoryQuota quota) {
        MemoryText.Indexed index = MemoryText.index(m.content(), m.tags());
        List<String> args = new ArrayList<>(List.of(
                keys.memoryBase(),
                m.id(),
                m.category().name(),
                m.content(),
                Json.write(m.tags()),
                m.author(),
                Replies.millis(m.createdAt()),
                Integer.toString(m.recallCount()),
                m.lastRecalledAt() == null ? "" : Replies.millis(m.lastRecalledAt()),
                Integer.toString(index.length())));
        List<String> tags = List.copyOf(new LinkedHashSet<>(m.tags()));
        args.add(Integer.toString(tags.size()));
        args.add(Integer.toString(m.content().getBytes(StandardCharsets.UTF_8).length));
        args.add(Integer.toString(quota.maxEntries()));
        args.add(Long.toString(quota.maxBytes()));
        args.addAll(tags);
        index.frequencies().forEach((word, tf) -> {
            args.add(word);
            args.add(Integer.toString(tf));
        });
        long added = redis.eval(
                ADD,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys.memoryIds(), keys.memorySeq(), keys.memoryLive(), keys.memoryStats(), keys.memoryWords()
                },
                args.toArray(String[]::new));
        if (added < 0) {
            // The script refused before writing; the refusal names the quota, not the exact usage.
            throw quota.exceeded(m.author(), quota.maxEntries() + 1L, quota.maxBytes() + 1L);
        }
        return added == 1;
    }

    @Override
    public Optional<Memory> find(String id) {
        Map<String, String> fields = Replies.hash(
                redis.eval(FIND, ScriptOutputType.MULTI, new String[] {keys.memoryIds()}, keys.memoryBase(), id));
        return fields.isEmpty() ? Optional.empty() : Optional.of(memory(fields));
    }

    @Override
    public List<Memory> search(String query, List<String> tags, Memory.Category category, int limit) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(tags == null ? List.of() : tags));
        List<String> args = new ArrayList<>(List.of(
                keys.memoryBase(),
                Integer.toString(Math.max(1, limit)),
                category == null ? "" : category.name(),
                Integer.toString(wanted.size())));
        args.addAll(wanted);
        for (MemoryText.Term term : MemoryText.query(query)) {
            args.add(term.word());
            args.add(term.prefix() ? "1" : "0");
        }
        List<Memory> out = new ArrayList<>();
        for (Map<String, String> fields : Replies.hashes(redis.eval(
                SEARCH,
                ScriptOutputType.MULTI,
                new String[] {keys.memoryLive(), keys.memoryStats(), keys.memoryWords()},
                args.toArray(String[]::new)))) {
            out.add(memory(fields));
        }
        return out;
    }

    @Override
    public boolean delete(String id, String deletedBy, Instant now) {
        long deleted = redis.eval(
                DELETE,
                ScriptOutputType.INTEGER,
                new String[] {keys.memoryIds(), keys.memoryLive(), keys.memoryStats(), keys.memoryWords()},
                keys.memoryBase(),
                id,
                deletedBy,
                Replies.millis(now));
        return deleted == 1;
    }

    @Override
    public int recordRecall(Collection<String> ids, Instant now) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(ids));
        if (unique.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(List.of(keys.memoryBase(), Replies.millis(now)));
        args.addAll(unique);
        long n = redis.eval(
                RECALL, ScriptOutputType.INTEGER, new String[] {keys.memoryIds()}, args.toArray(String[]::new));
        return (int) n;
    }

    /** A memory entry from its hash's fields. */
    static Memory memory(Map<String, String> f) {
        return new Memory(
                f.get("id"),
                Memory.Category.valueOf(f.get("category")),
                f.get("content"),
                Json.list(f.get("tags")),
                f.get("author"),
                Replies.millis(f.get("created")),
                Integer.parseInt(f.get("recalls")),
                Replies.optionalMillis(f.get("recalled")));
    }
}
