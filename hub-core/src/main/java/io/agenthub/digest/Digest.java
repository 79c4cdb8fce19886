package io.agenthub.digest;

import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.message.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened since a time, for one agent or for an operator.
 *
 * @param agentId who the digest is for; may name no registered agent (an operator's view, e.g. {@code ops})
 * @param registered whether {@code agentId} is a registered agent (then mentions and its own leases are included)
 */
public record Digest(
        String agentId,
        boolean registered,
        Instant since,
        Instant until,
        List<Online> online,
        Attention attention,
        Activity activity,
        String markdown) {
    /** An agent that is online now. */
    public record Online(String id, String status, String currentTask, Instant lastSeen) {}

    /**
     * What needs attention.
     *
     * @param mentions DMs, mentions and notices for {@code agentId} since {@code since}
     * @param blocked agents whose status is blocked
     * @param stale agents that stopped heartbeating
     * @param expiringLeases leases that expire within the next five minutes (the agent's own, or all for an operator)
     */
    public record Attention(
            List<Message> mentions, List<String> blocked, List<String> stale, List<Lease> expiringLeases) {}

    /**
     * Recent activity.
     *
     * @param messagesByChannel chat messages since {@code since}, per channel ({@code truncated} if over the scan
     *     limit)
     */
    public record Activity(
            int chatMessages,
            Map<String, Integer> messagesByChannel,
            boolean truncated,
            List<Message> recentChat,
            List<Memory> newMemories,
            int activeLeases,
            List<String> joined) {}
}
