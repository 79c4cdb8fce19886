package io.agenthub.agent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for progress marks. Each method is one atomic operation on one agent's record; the record is created by
 * the first write. Time is passed in; the store keeps no clock.
 */
public interface ProgressStore {
    /**
     * Records that {@code agentId} made progress at {@code now}: {@code lastProgressAt = max(lastProgressAt, now)} and
     * the stall mark is cleared, in one atomic operation. Returns the stall mark it cleared ({@code stalledSince}) if
     * the agent was marked stalled, so that exactly one caller reports the recovery.
     */
    Optional<Instant> progress(String agentId, Instant now);

    /**
     * Marks {@code agentId} stalled since {@code now}, unless it is already marked or its {@code lastProgressAt} is
     * after {@code quietSince} (an agent with no record counts as never having made progress). Atomic compare-and-set:
     * of concurrent callers, for example the detectors of several hub nodes, exactly one gets true per stall, and a
     * concurrent {@link #progress} either comes first (and the mark is refused) or clears it.
     */
    boolean markStalled(String agentId, Instant quietSince, Instant now);

    /** The agent's marks, if it has a record. */
    Optional<Progress> find(String agentId);

    /** Every record, ordered by agent id. */
    List<Progress> list();
}
