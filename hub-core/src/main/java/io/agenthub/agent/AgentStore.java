package io.agenthub.agent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage SPI for agents and their presence. Every method is atomic on one agent. */
public interface AgentStore {
    /** Inserts the agent (its disabled mark included) unless its id exists; false if it does. */
    boolean create(Agent agent);

    Optional<Agent> find(String id);

    /** All agents ordered by id. */
    List<Agent> list();

    /**
     * Records a heartbeat: status, current task and context tokens replace the stored ones (a null leaves a field as
     * it is), {@code lastSeen} becomes {@code now}, and presence becomes ONLINE (with {@code presenceSince = now} if it
     * changed). Empty if the agent does not exist.
     */
    Optional<Beat> heartbeat(String id, AgentStatus status, String currentTask, Long contextTokens, Instant now);

    /**
     * What a heartbeat did: the agent after it, and whether it changed the agent's status or current task (judged
     * against the stored ones by the same call, so the caller needs no read of its own before it).
     */
    record Beat(Agent agent, boolean changed) {}

    /**
     * Marks the agent as seen: {@code lastSeen = max(lastSeen, now)} and presence ONLINE. A no-op for unknown ids.
     */
    void touch(String id, Instant now);

    /**
     * Moves presence from {@code expected} to {@code next} only if it is still {@code expected} and {@code lastSeen}
     * is still {@code lastSeen} (so a fresh call wins over a concurrent reaper). True if it changed.
     */
    boolean transition(String id, Presence expected, Instant lastSeen, Presence next, Instant now);

    /**
     * Applies a profile change with merge semantics (see {@link ProfileChange}): fields not in the change stay as they
     * are, and labels are merged key by key, so that concurrent changes of different labels both take effect. Atomic.
     * Empty if the agent does not exist.
     *
     * @throws io.agenthub.error.HubException.TooLarge from {@link ProfileChange#tooManyLabels} if the merged labels
     *     would exceed {@link ProfileChange#maxLabels()}; nothing is changed then
     */
    Optional<Agent> updateProfile(String id, ProfileChange change);

    /**
     * Marks the agent disabled with who, when and why, replacing an earlier mark. Nothing else of the agent changes,
     * and no other method clears the mark (heartbeats, touches, presence transitions and profile updates keep it).
     * Empty if the agent does not exist.
     */
    Optional<Agent> disable(String id, Disablement disablement);

    /** Clears the disabled mark (a no-op for an enabled agent); empty if the agent does not exist. */
    Optional<Agent> enable(String id);
}
