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

    /** Deletes entries with {@code at < before}; returns how many. */
    int purgeBefore(Instant before);
}
