package io.agenthub.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * An agent's progress marks, for stall detection.
 *
 * @param lastProgressAt when the agent last made progress, or null if it never did since it was first marked
 * @param stalledSince when the hub marked it stalled, or null if it is not stalled
 */
public record Progress(String agentId, Instant lastProgressAt, Instant stalledSince) {
    public Progress {
        Objects.requireNonNull(agentId, "agentId");
    }

    public boolean stalled() {
        return stalledSince != null;
    }
}
