package io.agenthub.memory;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for shared memory. Each method is atomic. Deleted entries are kept (with who deleted them and when) but no
 * read method ever returns them again. Time is always passed in; implementations never read a clock of their own.
 * Tags are compared exactly as given: the service lowercases them before they reach the store. Text matching folds word
 * forms: {@code caching} matches {@code cached} (Porter stems, as {@link MemoryWords} defines them).
 */
public interface MemoryStore {
    /**
     * What {@link #add} did.
     *
     * @param memory the entry as stored: the new one, or the existing one with the write merged in
     * @param merged true if the write was merged into an existing entry (whose id {@code memory} carries)
     */
    record Added(Memory memory, boolean merged) {}

    /**
     * Stores a new entry, or merges it into the live entry of the same {@link MemoryWords#fingerprint} (same category,
     * same words after folding case, punctuation, whitespace and word forms), in one atomic step: of concurrent writes
     * of one text, exactly one creates the entry and the others merge into it, so none is lost and no second entry
     * appears. A merge applies {@link Memory#absorb} with the time {@code memory.createdAt()} (count, tags, authors,
     * update time) and keeps the new tags searchable; the given id is then not used. Empty, changing nothing, if an
     * entry with the given id exists, deleted or not.
     */
    default Optional<Added> add(Memory memory) {
        return add(memory, MemoryQuota.NONE);
    }

    /**
     * As {@link #add(Memory)}, and a new entry only while its author stays within {@code quota}: the author's live
     * entries, with this one, number at most {@link MemoryQuota#maxEntries()} and hold at most
     * {@link MemoryQuota#maxBytes()} UTF-8 bytes of content. An entry counts against its first author
     * ({@link Memory#author()}) only. A write that merges into an existing entry is never refused and counts against
     * no one: the entry's content does not change. The look-up, the check and the write are one atomic step, so
     * concurrent writes of one author cannot pass the quota together. Entries removed by {@link #delete},
     * {@link #merge} (the {@code from} entry) or {@link #decay} stop counting at once.
     *
     * @throws io.agenthub.error.HubException.Conflict from {@link MemoryQuota#exceeded} if a new entry would pass the
     *     quota; nothing is changed then
     */
    Optional<Added> add(Memory memory, MemoryQuota quota);

    /**
     * Merges the live entry {@code fromId} into the live entry {@code intoId} (a duplicate found by consolidation), in
     * one atomic step: {@code into} becomes {@code into.absorb(from, now)} and, if it has no fingerprint of its own
     * (written before fingerprints existed), takes {@code from}'s; {@code from} is soft-deleted by {@code "hub"} at
     * {@code now}. Empty, changing nothing, if either is missing or deleted, or they are the same entry: several
     * nodes may consolidate at once.
     */
    Optional<Memory> merge(String intoId, String fromId, Instant now);

    /**
     * Soft-deletes (by {@code "hub"} at {@code now}) up to {@code limit} live entries that were never recalled and were
     * last written before {@code before}, oldest first, each atomically (an entry recalled meanwhile is kept). Returns
     * the ids removed. Costs O(limit), however many entries there are.
     */
    List<String> decay(Instant before, int limit, Instant now);

    /** The entry with this id, unless it does not exist or was deleted. */
    Optional<Memory> find(String id);

    /**
     * Live entries that match every given filter, at most {@code limit} of them.
     *
     * <p>With a {@code query}, an entry matches if its content or tags contain any of the query's words
     * (case-insensitive, in any form of the word: both sides are stemmed; the last word also matches as a prefix), and results are ranked best first, by how many of the
     * words an entry contains and how rare those words are (BM25 or an equivalent). Punctuation and operator words in
     * the query are never interpreted: any string is accepted and none fails. A query with no words in it (null, blank
     * or only punctuation) applies no text filter; then results are newest first.
     *
     * @param query free text, or null
     * @param tags an entry must carry all of these; empty for no tag filter
     * @param category the category to keep, or null for all
     * @param limit at least 1
     */
    List<Memory> search(String query, List<String> tags, Memory.Category category, int limit);

    /**
     * Soft-deletes the entry: records {@code deletedBy} and {@code now} and hides it from every read. Returns false if it
     * does not exist or was already deleted.
     */
    boolean delete(String id, String deletedBy, Instant now);

    /**
     * Adds one to the recall count of each live entry among {@code ids} and sets its last recall time to {@code now}.
     * Concurrent calls never lose an increment. Returns how many entries were updated; unknown ids are ignored.
     */
    int recordRecall(Collection<String> ids, Instant now);
}
