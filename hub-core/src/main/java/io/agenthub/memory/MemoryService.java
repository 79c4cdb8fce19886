package io.agenthub.memory;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.text.AgentText;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared memory use cases: remember (or merge into a duplicate), recall, forget, consolidate. The store owns search,
 * duplicate detection and atomicity; this service owns limits, tag normalisation, ids, who may write or forget, and
 * the consolidation pass.
 */
public final class MemoryService {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryService.class);
    /** How many search hits consolidation compares with each entry it examines. */
    static final int CANDIDATES = 8;

    /**
     * The answer to a write.
     *
     * @param memory the entry as stored (the existing one if merged)
     * @param merged true if the text duplicated a live entry and was merged into it instead of stored again
     */
    public record Remembered(Memory memory, boolean merged) {}

    /**
     * What one consolidation pass did.
     *
     * @param examined entries compared with their likeliest duplicates
     * @param merged entries merged into an older near duplicate (and removed)
     * @param decayed entries removed because nobody recalled them within the decay age
     */
    public record Consolidation(int examined, int merged, int decayed) {}

    /** Longest accepted search text, in characters. */
    public static final int MAX_QUERY_LENGTH = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MemoryStore store;
    private final MemoryPolicy policy;
    private final InstantSource clock;
    private final MemoryQuota quota;
    private final AgentText cleaner;

    /** The limits this service enforces. */
    public MemoryPolicy policy() {
        return policy;
    }

    public MemoryService(MemoryStore store, MemoryPolicy policy, InstantSource clock) {
        this(store, policy, clock, MemoryQuota.NONE);
    }

    /** @param quota how much memory one author may keep (live entries and bytes) */
    public MemoryService(MemoryStore store, MemoryPolicy policy, InstantSource clock, MemoryQuota quota) {
        this(store, policy, clock, quota, AgentText.PLAIN);
    }

    /** @param cleaner cleans the content of every entry before it is stored (see {@link AgentText}) */
    public MemoryService(
            MemoryStore store, MemoryPolicy policy, InstantSource clock, MemoryQuota quota, AgentText cleaner) {
        this.cleaner = cleaner;
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.quota = quota;
    }

    /** As {@link #write}, returning only the entry. */
    public Memory remember(Principal caller, Memory.Category category, String content, List<String> tags) {
        return write(caller, category, content, tags).memory();
    }

    /**
     * Stores a new entry written by the caller, or merges it into the live entry it duplicates (same category and the
     * same words once case, whitespace, punctuation and word forms are folded; see {@link MemoryWords}): that entry's
     * count grows, the tags and the caller join its own, and its update time moves. Tags are trimmed, lowercased and
     * deduplicated. Viewers may not write; content over the policy's size fails with {@link HubException.TooLarge}.
     * A new entry counts against the caller's memory quota (refused with {@link HubException.Conflict}
     * {@code quota_exceeded} past it); a merge counts against no one and is never refused for the quota.
     */
    public Remembered write(Principal caller, Memory.Category category, String given, List<String> tags) {
        caller.requireWriter();
        String content = cleaner.clean(given);
        if (category == null) {
            throw new HubException.InvalidRequest(
                    "category is required; use one of " + Memory.Category.NAMES + ".", Map.of("field", "category"));
        }
        if (content == null || content.isBlank()) {
            throw new HubException.InvalidRequest("content is required.", Map.of("field", "content"));
        }
        Require.utf8("content", content, policy.maxContentBytes());
        Memory memory = Memory.fresh(newId(), category, content, tags("tags", tags), caller.id(), clock.instant());
        MemoryStore.Added added = store.add(memory, quota)
                .orElseThrow(() -> new IllegalStateException("memory id " + memory.id() + " was generated twice"));
        return new Remembered(added.memory(), added.merged());
    }

    /**
     * One consolidation pass, safe to run on several nodes at once (every step is atomic in the store, and a step whose
     * entries changed meanwhile does nothing). First decay: entries never recalled and not written for the policy's
     * {@code decayAfter} are removed (soft-deleted by "hub"), oldest first, at most {@code consolidateBatch}. Then
     * merging: the newest {@code consolidateBatch} live entries are each compared with their {@value #CANDIDATES} best
     * search hits in the same category; a pair whose {@link MemoryWords#similarity} is at least
     * {@link MemoryWords#NEAR_DUPLICATE} is merged into the older entry (which keeps its id and content). The work of a
     * pass is bounded by the batch: at most that many entries removed and that many searches.
     */
    public Consolidation consolidate() {
        Instant now = clock.instant();
        int decayed = policy.decayAfter().isZero()
                ? 0
                : store.decay(now.minus(policy.decayAfter()), policy.consolidateBatch(), now)
                        .size();
        List<Memory> window = store.search(null, List.of(), null, policy.consolidateBatch());
        Set<String> gone = new java.util.HashSet<>();
        int merged = 0;
        for (Memory m : window) {
            if (gone.contains(m.id())) {
                continue;
            }
            for (Memory other : store.search(m.content(), List.of(), m.category(), CANDIDATES)) {
                if (other.id().equals(m.id())
                        || gone.contains(other.id())
                        || MemoryWords.similarity(m.content(), other.content()) < MemoryWords.NEAR_DUPLICATE) {
                    continue;
                }
                boolean mOlder = m.createdAt().isBefore(other.createdAt())
                        || (m.createdAt().equals(other.createdAt()) && m.id().compareTo(other.id()) < 0);
                Memory into = mOlder ? m : other;
                Memory from = mOlder ? other : m;
                if (store.merge(into.id(), from.id(), now).isPresent()) {
                    gone.add(from.id());
                    merged++;
                }
                if (from == m) {
                    break;
                }
            }
        }
        if (merged + decayed > 0) {
            LOG.info("Memory consolidation merged {} and decayed {} entries", merged, decayed);
        }
        return new Consolidation(window.size(), merged, decayed);
    }

    /**
     * Finds live entries, best match first (newest first without a query), and counts this as a recall of each entry
     * returned: the returned entries already include it.
     *
     * @param query free text; any of its words may match, and punctuation is ignored; null or blank for none
     * @param tags entries must carry all of these (case-insensitive); null or empty for no tag filter
     * @param category null for every category
     * @param limit null for the policy's default
     */
    public List<Memory> recall(String query, List<String> tags, Memory.Category category, Integer limit) {
        String text = Require.optional("q", query, MAX_QUERY_LENGTH);
        List<String> filter = tags("tags", tags);
        int n = limit == null ? policy.defaultLimit() : (int) Require.range("limit", limit, 1, policy.maxLimit());
        List<Memory> found = store.search(text.isBlank() ? null : text, filter, category, n);
        if (found.isEmpty()) {
            return found;
        }
        Instant now = clock.instant();
        store.recordRecall(found.stream().map(Memory::id).toList(), now);
        return found.stream().map(m -> m.recalledAt(now)).toList();
    }

    /** One live entry, without counting it as recalled. */
    public Memory get(String id) {
        return store.find(Require.id("id", id)).orElseThrow(() -> notFound(id));
    }

    /**
     * Soft-deletes an entry; only its author or an admin may. The entry is kept, with who deleted it and when, but is
     * never returned again. Returns the entry as it was.
     */
    public Memory forget(Principal caller, String id) {
        caller.requireWriter();
        Memory memory = get(id);
        if (!caller.isAdmin() && !memory.author().equals(caller.id())) {
            throw new HubException.Forbidden("Memory " + id + " was written by " + memory.author()
                    + "; only its author or an admin may forget it.");
        }
        if (!store.delete(id, caller.id(), clock.instant())) {
            throw notFound(id);
        }
        return memory;
    }

    private List<String> tags(String field, List<String> tags) {
        List<String> given = Require.list(field, tags, policy.maxTags(), policy.maxTagLength());
        Set<String> out = new LinkedHashSet<>();
        for (String raw : given) {
            String tag = raw.strip().toLowerCase(Locale.ROOT);
            if (tag.isEmpty() || tag.indexOf(',') >= 0 || tag.chars().anyMatch(Character::isISOControl)) {
                throw new HubException.InvalidRequest(
                        field + " must be non-blank words without commas or control characters; got '" + raw + "'.",
                        Map.of("field", field));
            }
            out.add(tag);
        }
        return List.copyOf(out);
    }

    private static String newId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return "mem-" + HexFormat.of().formatHex(bytes);
    }

    private static HubException notFound(String id) {
        return new HubException.NotFound("No memory " + id + "; it may have been forgotten. Recall to find others.");
    }
}
