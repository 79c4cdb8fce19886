package io.agenthub.trace;

import java.time.Instant;
import java.util.List;

/** Storage SPI for agents' trails: an append-only journal, written in batches, read per agent, pruned by age. */
public interface TraceStore {
    /** Appends the entries in order, each with the next sequence number (their given {@code seq} is ignored). Atomic. */
    void append(List<TraceEntry> entries);

    /**
     * The entries of one agent with {@code at >= since}, in time order (ties by sequence), at most {@code limit}: the
     * oldest {@code limit} of them.
     */
    List<TraceEntry> list(String agentId, Instant since, int limit);

    /**
     * The newest {@code limit} entries of one agent with {@code at >= since} that come before {@code before} in time
     * order (ties by sequence), returned in time order: a page read backwards. {@code before} null means from the
     * newest entry. Costs what the page holds, not what the trail holds.
     */
    List<TraceEntry> latest(String agentId, Instant since, TraceCursor before, int limit);

    /**
     * Deletes entries with {@code at < before}; returns how many. Deletes in bounded steps, so writers wait at most one
     * step however much has to go.
     */
    int purgeBefore(Instant before);

    /**
     * Deletes the oldest entries (by sequence number) so that at most {@code maxEntries} of the newest remain; returns
     * how many went. Deletes in bounded steps like {@link #purgeBefore}. This bounds the store when the trail is
     * written faster than its retention age alone would keep small.
     */
    int trimTo(long maxEntries);
}
