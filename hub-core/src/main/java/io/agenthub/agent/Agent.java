package io.agenthub.agent;

import io.agenthub.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An agent's profile and presence.
 *
 * @param labels free-form labels such as {@code version} and {@code pool}
 * @param contextTokens the size of the agent's context window in use, as last reported
 * @param presenceSince when {@code presence} last changed
 * @param disabled who disabled the agent, when and why; null while it is enabled
 */
public record Agent(
        String id,
        String name,
        Role role,
        List<String> capabilities,
        Map<String, String> labels,
        AgentStatus status,
        String currentTask,
        long contextTokens,
        Presence presence,
        Instant lastSeen,
        Instant presenceSince,
        Instant createdAt,
        Disablement disabled) {
    public Agent {
        Objects.requireNonNull(id, "id");
        name = name == null || name.isBlank() ? id : name;
        Objects.requireNonNull(role, "role");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        status = status == null ? AgentStatus.IDLE : status;
        currentTask = currentTask == null ? "" : currentTask;
        presence = presence == null ? Presence.ONLINE : presence;
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(presenceSince, "presenceSince");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A new agent, seen now. */
    public static Agent fresh(
            String id, String name, Role role, List<String> capabilities, Map<String, String> labels, Instant now) {
        return new Agent(
                id, name, role, capabilities, labels, AgentStatus.IDLE, "", 0, Presence.OFFLINE, now, now, now, null);
    }
}
