package io.agenthub.digest;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.Presence;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryService;
import io.agenthub.message.Message;
import io.agenthub.message.MessageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises what happened since a time: who is online, what needs attention, recent activity. For a registered agent
 * it includes that agent's mentions and leases; for any other id it is an operator's view of the whole fleet.
 */
public final class DigestService {
    private static final int SCAN_LIMIT = 2000;
    private static final Duration EXPIRING = Duration.ofMinutes(5);
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final AgentService agents;
    private final LeaseService leases;
    private final MessageStore messages;
    private final MemoryService memories;
    private final InstantSource clock;

    public DigestService(
            AgentService agents,
            LeaseService leases,
            MessageStore messages,
            MemoryService memories,
            InstantSource clock) {
        this.agents = agents;
        this.leases = leases;
        this.messages = messages;
        this.memories = memories;
        this.clock = clock;
    }

    /**
     * @param agentId whom the digest is for; null means the caller
     * @param since the start of the window; null means 24 hours ago
     */
    public Digest build(Principal caller, String agentId, Instant since) {
        Instant now = clock.instant();
        String id = agentId == null || agentId.isBlank() ? caller.id() : agentId;
        Instant from = since == null ? now.minus(DEFAULT_WINDOW) : since;
        if (from.isAfter(now)) {
            throw new HubException.InvalidRequest("since lies in the future; give a time before " + now + ".");
        }
        List<Agent> all = agents.list();
        boolean registered = all.stream().anyMatch(a -> a.id().equals(id));
        if (registered && !id.equals(caller.id()) && caller.role() != Role.ADMIN) {
            throw new HubException.Forbidden("An agent reads only its own digest; operators may read any.");
        }
        List<Message> window = messages.since(from, SCAN_LIMIT);
        boolean truncated = window.size() >= SCAN_LIMIT;

        List<Message> mentions = registered
                ? window.stream()
                        .filter(m -> m.to().equals(id) || m.mentions().contains(id))
                        .toList()
                : List.of();
        List<Message> chat =
                window.stream().filter(m -> m.kind() == Message.Kind.CHAT).toList();
        Map<String, Integer> byChannel = new TreeMap<>();
        chat.forEach(m -> byChannel.merge(m.channel(), 1, Integer::sum));

        List<Lease> active = leases.active();
        List<Lease> expiring = active.stream()
                .filter(l -> !l.expiresAt().isAfter(now.plus(EXPIRING)))
                .filter(l -> !registered || l.holder().equals(id))
                .toList();
        List<Digest.Online> online = all.stream()
                .filter(a -> a.role() == Role.AGENT && a.presence() == Presence.ONLINE && a.disabled() == null)
                .map(a -> new Digest.Online(a.id(), a.status().name().toLowerCase(), a.currentTask(), a.lastSeen()))
                .toList();
        List<String> blocked = all.stream()
                .filter(a -> a.status() == AgentStatus.BLOCKED && a.presence() != Presence.OFFLINE)
                .map(Agent::id)
                .toList();
        List<String> stale = all.stream()
                .filter(a -> a.presence() == Presence.STALE)
                .map(Agent::id)
                .toList();
        List<String> joined = all.stream()
                .filter(a -> !a.createdAt().isBefore(from))
                .map(Agent::id)
                .toList();
        List<Memory> newMemories = memories.recall(null, List.of(), null, 20).stream()
                .filter(m -> !m.createdAt().isBefore(from))
                .toList();
        List<Message> recentChat = chat.subList(Math.max(0, chat.size() - 10), chat.size());

        Digest.Attention attention = new Digest.Attention(mentions, blocked, stale, expiring);
        Digest.Activity activity =
                new Digest.Activity(chat.size(), byChannel, truncated, recentChat, newMemories, active.size(), joined);
        String markdown = markdown(id, registered, from, now, online, attention, activity);
        return new Digest(id, registered, from, now, online, attention, activity, markdown);
    }

    private static String markdown(
            String id,
            boolean registered,
            Instant from,
            Instant now,
            List<Digest.Online> online,
            Digest.Attention a,
            Digest.Activity act) {
        StringBuilder s = new StringBuilder();
        s.append("# Digest for ")
                .append(id)
                .append(registered ? "" : " (operator view)")
                .append('\n');
        s.append("From ").append(time(from)).append(" to ").append(time(now)).append(".\n\n");
        s.append("## Online (").append(online.size()).append(")\n");
        if (online.isEmpty()) {
            s.append("No agent is online.\n");
        }
        online.forEach(o -> s.append("- ")
                .append(o.id())
                .append(" (")
                .append(o.status())
                .append(')')
                .append(o.currentTask().isEmpty() ? "" : ": " + o.currentTask())
                .append('\n'));
        s.append("\n## Needs attention\n");
        int before = s.length();
        a.mentions()
                .forEach(m -> s.append("- ")
                        .append(
                                m.kind() == Message.Kind.CHAT
                                        ? "mention"
                                        : m.kind().name().toLowerCase())
                        .append(" from ")
                        .append(m.author())
                        .append(": ")
                        .append(clip(m.text()))
                        .append('\n'));
        a.blocked().forEach(b -> s.append("- ").append(b).append(" is blocked\n"));
        a.stale().forEach(b -> s.append("- ").append(b).append(" is stale (missed heartbeats)\n"));
        a.expiringLeases()
                .forEach(l -> s.append("- lease `")
                        .append(l.resource())
                        .append("` of ")
                        .append(l.holder())
                        .append(" expires ")
                        .append(time(l.expiresAt()))
                        .append('\n'));
        if (s.length() == before) {
            s.append("Nothing.\n");
        }
        s.append("\n## Activity\n");
        s.append("- ")
                .append(act.chatMessages())
                .append(act.truncated() ? "+" : "")
                .append(" chat messages")
                .append(act.messagesByChannel().isEmpty() ? "" : " " + act.messagesByChannel())
                .append('\n');
        s.append("- ").append(act.activeLeases()).append(" active leases\n");
        s.append("- ").append(act.newMemories().size()).append(" new memories\n");
        if (!act.joined().isEmpty()) {
            s.append("- joined: ").append(String.join(", ", act.joined())).append('\n');
        }
        if (!act.recentChat().isEmpty()) {
            s.append("\n## Latest chat\n");
            act.recentChat()
                    .forEach(m -> s.append("- #")
                            .append(m.channel())
                            .append(' ')
                            .append(m.author())
                            .append(": ")
                            .append(clip(m.text()))
                            .append('\n'));
        }
        return s.toString();
    }

    private static String clip(String text) {
        String one = text.replace('\n', ' ').strip();
        return one.length() <= 200 ? one : one.substring(0, 199) + "…";
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
