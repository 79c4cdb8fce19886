package io.agenthub.memory;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for shared memory. Each method is atomic. Deleted entries are kept (with who deleted them and when) but no
 * read method ever returns them again. Time is always passed in; implementations never read a clock of their own.
 * Tags are compared exactly as given: the service lowercases them before they reach the store.
 */
public interface MemoryStore {
    /**
     * Stores a new entry as given, and indexes its content and tags for {@link #search}. Returns false and changes
     * nothing if an entry with the same id exists, deleted or not.
     */
    default boolean add(Memory memory) {
        return add(memory, MemoryQuota.NONE);
    }

    /**
     * As {@link #add(Memory)}, and only while the author stays within {@code quota}: its live entries, with this one,
     * number at most {@link MemoryQuota#maxEntries()} and hold at most {@link MemoryQuota#maxBytes()} UTF-8 bytes of
     * content. The check and the write are one atomic step, so concurrent writes of one author cannot pass the quota
     * together. Forgotten entries do not count.
     *
     * @throws io.agenthub.error.HubException.Conflict from {@link MemoryQuota#exceeded} if the entry would pass the
     *     quota; nothing is changed then
     */
    boolean add(Memory memory, MemoryQuota quota);

    /** The entry with this id, unless it does not exist or was deleted. */
    Optional<Memory> find(String id);

    /**
     * Live entries that match every given filter, at most {@code limit} of them.
     *
     * <p>With a {@code query}, an entry matches if its content or tags contain any of the query's words
     * (case-insensitive; the last word also matches as a prefix), and results are ranked best first, by how many of the
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
