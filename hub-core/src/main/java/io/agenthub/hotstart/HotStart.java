package io.agenthub.hotstart;

import io.agenthub.agent.Agent;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.handoff.Handoff;
import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.message.Message;
import io.agenthub.usage.RoutingAdvice;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a restarted agent needs to continue ("soul injection"), as data and as a ready-to-inject markdown prompt.
 * The lists hold exactly what the prompt shows; {@code omitted} counts, per section, what did not fit the budget.
 *
 * @param checkpoint the latest checkpoint, or null if the agent never saved one
 * @param handoffs handoffs the agent accepted and has not completed, then pending ones it may accept
 * @param routing which model to use for tasks of each complexity, at today's budget level
 * @param inboxCursor acknowledge up to here once the unread messages are handled
 * @param promptChars the prompt's length, never more than {@code maxChars}
 */
public record HotStart(
        Agent agent,
        Checkpoint checkpoint,
        List<Handoff> handoffs,
        List<Lease> leases,
        List<Message> inbox,
        long inboxCursor,
        List<Message> chat,
        List<Memory> memories,
        List<TeamMember> team,
        List<RoutingAdvice> routing,
        Map<String, Integer> omitted,
        Instant generatedAt,
        int maxChars,
        int promptChars,
        String prompt) {
    /** Another agent and what it is doing. */
    public record TeamMember(
            String id,
            String name,
            String presence,
            String status,
            String currentTask,
            List<String> leases,
            Instant lastSeen) {}
}
