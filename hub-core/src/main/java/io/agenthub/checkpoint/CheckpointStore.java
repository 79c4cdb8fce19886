package io.agenthub.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for checkpoints. Versions are per agent, start at 1 and grow by one with every save; they survive
 * restarts. Each method is atomic. Time is passed in.
 */
public interface CheckpointStore {
    /**
     * Stores {@code data} as {@code agentId}'s next version (one more than its highest stored version, or 1) created at
     * {@code now}, then deletes that agent's versions older than the newest {@code keep}, all in one atomic operation:
     * concurrent saves for one agent get distinct, consecutive versions. Returns the stored checkpoint.
     *
     * @param keep how many versions of this agent to keep, at least 1
     */
    Checkpoint save(String agentId, CheckpointData data, Instant now, int keep);

    /** The agent's newest checkpoint, if it has any. */
    Optional<Checkpoint> latest(String agentId);

    /** The agent's retained checkpoints, newest first, at most {@code limit} (at least 1). */
    List<Checkpoint> versions(String agentId, int limit);

    /** One version of the agent's checkpoints, if it is still retained. */
    Optional<Checkpoint> version(String agentId, long version);
}
