package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryQuota;
import io.agenthub.memory.MemoryStore;
import io.agenthub.memory.MemoryWords;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Shared memory on plain Redis 7, without modules: an inverted index kept by the same scripts that write entries. Words
 * are stemmed in Java ({@link MemoryText}) on write and on query, so word forms match as in SQLite's porter index. A
 * hash from fingerprint to entry makes the duplicate check and the insert or merge of {@link #add} one script, so
 * concurrent writes of one text from several nodes make one entry.
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
    private static final LuaScript MERGE = LuaScript.load("memory-merge");
    private static final LuaScript REINDEX = LuaScript.load("memory-reindex");
    /**
     * The index layout this code writes, kept in the stats hash as {@code v}: 2 since words are stemmed and entries
     * have fingerprints, 3 since each live entry counts against its author's memory quota ({@code by:<author>}). A
     * store without it (written by older code) is reindexed when it opens.
     */
    static final String INDEX_VERSION = "3";

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisMemoryStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
        upgradeIndex();
    }

    /**
     * Brings entries indexed by older code (unstemmed words, no fingerprint, not listed for decay, not counted for the
     * quota) to
     * {@link #INDEX_VERSION}, one entry per script; then records the version, so that it runs once per store. Nodes that
     * open the store at the same time may both run it: each step is idempotent. Costs one pass over the entries.
     */
    private void upgradeIndex() {
        if (INDEX_VERSION.equals(redis.call("memory index version", c -> c.hget(keys.memoryStats(), "v")))) {
            return;
        }
        Map<String, String> ids = redis.call("memory ids", c -> c.hgetall(keys.memoryIds()));
        if (ids.isEmpty()) {
            return; // a new store: the first entry records the version (memory-add.lua)
        }
        for (String seq : ids.values()) {
            Map<String, String> f = redis.call("memory entry", c -> c.hgetall(keys.memoryEntry(seq)));
            if (f.isEmpty() || f.containsKey("deleted")) {
                continue;
            }
            Memory m = memory(f);
            MemoryText.Indexed index = MemoryText.index(m.content(), m.tags());
            List<String> args = new ArrayList<>(List.of(
                    keys.memoryBase(),
                    seq,
                    MemoryWords.fingerprint(m.category(), m.content()),
                    Integer.toString(index.length()),
                    Integer.toString(m.content().getBytes(StandardCharsets.UTF_8).length)));
            index.frequencies().forEach((word, tf) -> {
                args.add(word);
                args.add(Integer.toString(tf));
            });
            redis.eval(
                    REINDEX,
                    ScriptOutputType.INTEGER,
                    new String[] {
                        keys.memoryStats(), keys.memoryWords(), keys.memoryFingerprints(), keys.memoryUnrecalled()
                    },
                    args.toArray(String[]::new));
        }
        redis.call("memory index version", c -> c.hset(keys.memoryStats(), "v", INDEX_VERSION));
    }

    @Override
    public Optional<Added> add(Memory m, MemoryQuota quota) {
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
                Integer.toString(m.count()),
                Json.write(m.authors()),
                MemoryWords.fingerprint(m.category(), m.content()),
                Integer.toString(Memory.MAX_TAGS),
                Integer.toString(Memory.MAX_AUTHORS),
                Integer.toString(m.content().getBytes(StandardCharsets.UTF_8).length),
                Integer.toString(quota.maxEntries()),
                Long.toString(quota.maxBytes())));
        tagWords(m.tags(), args, true);
        MemoryText.index(m.content(), List.of()).frequencies().forEach((word, tf) -> {
            args.add(word);
            args.add(Integer.toString(tf));
        });
        List<Object> reply = Replies.list(redis.eval(
                ADD,
                ScriptOutputType.MULTI,
                new String[] {
                    keys.memoryIds(),
                    keys.memorySeq(),
                    keys.memoryLive(),
                    keys.memoryStats(),
                    keys.memoryWords(),
                    keys.memoryFingerprints(),
                    keys.memoryUnrecalled()
                },
                args.toArray(String[]::new)));
        return switch (Replies.string(reply.getFirst())) {
            case "taken" -> Optional.empty();
            case "new" -> Optional.of(new Added(m, false));
            // Refused before anything was written: the author's live entries and bytes with this one.
            case "quota" ->
                throw quota.exceeded(m.author(), Replies.number(reply.get(1)), Replies.number(reply.get(2)));
            default -> Optional.of(new Added(memory(Replies.hash(reply.subList(1, reply.size()))), true));
        };
    }

    /** Appends the tag count (if {@code withCount}), then each tag with its stemmed words, as the scripts read them. */
    private static void tagWords(List<String> tags, List<String> args, boolean withCount) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(tags));
        if (withCount) {
            args.add(Integer.toString(unique.size()));
        }
        for (String tag : unique) {
            List<String> words = MemoryWords.stems(tag);
            args.add(tag);
            args.add(Integer.toString(words.size()));
            args.addAll(words);
        }
    }

    @Override
    public Optional<Memory> merge(String intoId, String fromId, Instant now) {
        // from's tags are read first (their words are cut in Java); the script retries if they changed meanwhile.
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Memory> from = find(fromId);
            if (from.isEmpty() || intoId.equals(fromId)) {
                return Optional.empty();
            }
            List<String> args = new ArrayList<>(List.of(
                    keys.memoryBase(),
                    intoId,
                    fromId,
                    Replies.millis(now),
                    Integer.toString(Memory.MAX_TAGS),
                    Integer.toString(Memory.MAX_AUTHORS),
                    Json.write(from.get().tags())));
            tagWords(from.get().tags(), args, false);
            List<Object> reply =
                    Replies.list(redis.eval(MERGE, ScriptOutputType.MULTI, removalKeys(), args.toArray(String[]::new)));
            if (reply.isEmpty()) {
                return Optional.empty();
            }
            if (reply.size() > 1) {
                return Optional.of(memory(Replies.hash(reply)));
            }
        }
        throw new HubException.Unavailable(
                "Memory " + fromId + " kept changing during a merge; run the consolidation again.",
                java.time.Duration.ofSeconds(1),
                null);
    }

    @Override
    public List<String> decay(Instant before, int limit, Instant now) {
        return strings(redis.eval(
                DELETE,
                ScriptOutputType.MULTI,
                removalKeys(),
                keys.memoryBase(),
                "hub",
                Replies.millis(now),
                "decay",
                Replies.millis(before),
                Integer.toString(Math.max(0, limit))));
    }

    private String[] removalKeys() {
        return new String[] {
            keys.memoryIds(),
            keys.memoryLive(),
            keys.memoryStats(),
            keys.memoryWords(),
            keys.memoryFingerprints(),
            keys.memoryUnrecalled()
        };
    }

    private static List<String> strings(Object reply) {
        return Replies.list(reply).stream().map(Replies::string).toList();
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
        return !strings(redis.eval(
                        DELETE,
                        ScriptOutputType.MULTI,
                        removalKeys(),
                        keys.memoryBase(),
                        deletedBy,
                        Replies.millis(now),
                        "id",
                        id))
                .isEmpty();
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
                RECALL,
                ScriptOutputType.INTEGER,
                new String[] {keys.memoryIds(), keys.memoryUnrecalled()},
                args.toArray(String[]::new));
        return (int) n;
    }

    /** A memory entry from its hash's fields. */
    private static Memory memory(Map<String, String> f) {
        return new Memory(
                f.get("id"),
                Memory.Category.valueOf(f.get("category")),
                f.get("content"),
                Json.list(f.get("tags")),
                f.get("author"),
                Replies.millis(f.get("created")),
                Integer.parseInt(f.get("recalls")),
                Replies.optionalMillis(f.get("recalled")),
                f.get("count") == null ? 1 : Integer.parseInt(f.get("count")),
                f.get("authors") == null ? null : Json.list(f.get("authors")),
                Replies.optionalMillis(f.get("updated")));
    }

    /** A sequence number as the memory scripts pad it in member names and keys. */
    private static String padded(long seq) {
        return String.format("%012d", seq);
    }

    /**
     * Memory in snapshots: every entry in the order it was added, forgotten ones with who forgot them, written back as
     * memory-add.lua (entries numbered in snapshot order) and, for a forgotten entry, memory-delete.lua write them.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.MemoryRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        TreeSet<Long> seqs = new TreeSet<>();
                        x.sync().hgetall(keys.memoryIds()).values().forEach(s -> seqs.add(Long.parseLong(s)));
                        List<String> ids =
                                seqs.stream().map(RedisMemoryStore::padded).toList();
                        for (Map<String, String> f : x.pipe().each(ids, (a, s) -> a.hgetall(keys.memoryEntry(s)))) {
                            if (!f.isEmpty()) {
                                sink.accept(new SnapshotRecord.MemoryRow(
                                        memory(f), Replies.optionalMillis(f.get("deleted")), f.get("deletedBy")));
                            }
                        }
                    },
                    (w, row) -> restoreMemory(w, row.memory(), row.deletedAt(), row.deletedBy()));

    private static void restoreMemory(RedisSnapshotRestore w, Memory m, Instant deletedAt, String deletedBy) {
        RedisKeys keys = w.keys();
        String s = padded(w.next(keys.memorySeq()));
        MemoryText.Indexed index = MemoryText.index(m.content(), m.tags());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", m.id());
        f.put("category", m.category().name());
        f.put("content", m.content());
        f.put("tags", Json.write(m.tags()));
        f.put("author", m.author());
        f.put("created", Replies.millis(m.createdAt()));
        f.put("recalls", Integer.toString(m.recallCount()));
        f.put("recalled", m.lastRecalledAt() == null ? "" : Replies.millis(m.lastRecalledAt()));
        f.put("len", Integer.toString(index.length()));
        f.put("words", String.join(" ", index.frequencies().keySet()));
        int bytes = m.content().getBytes(StandardCharsets.UTF_8).length;
        f.put("bytes", Integer.toString(bytes));
        f.put("count", Integer.toString(m.count()));
        f.put("authors", Json.write(m.authors()));
        f.put("updated", Replies.millis(m.updatedAt()));
        // A live entry takes its fingerprint unless an earlier one of the snapshot has it (a snapshot from before
        // duplicates were merged); consolidation merges the two later.
        String fingerprint = MemoryWords.fingerprint(m.category(), m.content());
        boolean ownsFingerprint = deletedAt == null && w.claim(keys.memoryFingerprints(), fingerprint);
        if (ownsFingerprint || deletedAt != null) {
            // A deleted entry keeps the field, as memory-delete.lua leaves it, but no longer owns the fingerprint.
            f.put("fp", fingerprint);
        }
        if (deletedAt != null) {
            f.put("deleted", Replies.millis(deletedAt));
            f.put("deletedBy", deletedBy == null ? "" : deletedBy);
        }
        w.hset(keys.memoryEntry(s), f);
        w.hset(keys.memoryIds(), m.id(), s);
        boolean live = deletedAt == null;
        String stats = keys.memoryStats();
        // A forgotten entry leaves the statistics as they were before it was added (the hash exists all the same).
        w.hincrby(stats, "n", live ? 1 : 0);
        w.hset(stats, "v", INDEX_VERSION);
        w.hincrby(stats, "len", live ? index.length() : 0);
        if (!live) {
            return;
        }
        String author = keys.memoryAuthor(m.author());
        w.hincrby(author, "n", 1);
        w.hincrby(author, "b", bytes);
        index.frequencies().forEach((word, tf) -> {
            w.hset(keys.memoryPostings(word), s, Integer.toString(tf));
            w.zadd(keys.memoryWords(), 0, word);
        });
        w.zadd(keys.memoryLive(), m.createdAt().toEpochMilli(), s);
        if (ownsFingerprint) {
            w.hset(keys.memoryFingerprints(), fingerprint, s);
        }
        if (m.recallCount() == 0) {
            w.zadd(keys.memoryUnrecalled(), m.updatedAt().toEpochMilli(), s);
        }
        w.sadd(keys.memoryCategory(m.category().name()), s);
        for (String tag : new LinkedHashSet<>(m.tags())) {
            w.sadd(keys.memoryTag(tag), s);
        }
    }
}
