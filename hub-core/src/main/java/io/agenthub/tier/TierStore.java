package io.agenthub.tier;

import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for the hub's tier: an append-only history of changes whose newest entry is the current tier. Shared by
 * all hub nodes.
 */
public interface TierStore {
    /** The newest change, or empty if the tier was never set. */
    Optional<TierChange> latest();

    /**
     * Appends {@code change} as the newest, with the next sequence number, only if the newest stored change still has
     * sequence {@code expectedSeq} (0 when there is none). Atomic compare-and-append: of concurrent appends with the
     * same expectation exactly one succeeds. Returns the stored change, or empty if another change came first.
     */
    Optional<TierChange> append(long expectedSeq, TierChange change);

    /** Changes, newest first, at most {@code limit}. */
    List<TierChange> history(int limit);
}
