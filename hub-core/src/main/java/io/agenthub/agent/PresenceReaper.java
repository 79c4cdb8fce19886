package io.agenthub.agent;

import io.agenthub.audit.AuditLog;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Moves silent agents from online to stale to offline, and takes the leases of agents that stayed stale past the grace
 * period: a {@link Succession} may hand them over to a successor (a handoff to the agent's pool), and the rest are
 * released. Runs on a schedule, never as a side effect of a read. Safe to run on several hub nodes at once: each
 * transition is a compare-and-set, each release checks the token, and succession is idempotent.
 */
public final class PresenceReaper {
    private final AgentStore agents;
    private final LeaseService leases;
    private final PresencePolicy policy;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Consumer<String> announce;
    private final BiConsumer<String, String> notice;
    private final Succession succession;

    /**
     * What one pass changed.
     *
     * @param handedOver leases of silent agents that a handoff now covers (not extended: they run out at their own
     *     expiry unless a successor accepts first)
     */
    public record Pass(List<String> stale, List<String> offline, List<Lease> released, List<Lease> handedOver) {}

    public PresenceReaper(
            AgentStore agents,
            LeaseService leases,
            PresencePolicy policy,
            AuditLog audit,
            InstantSource clock,
            Consumer<String> announce) {
        this(agents, leases, policy, audit, clock, announce, (to, text) -> {}, Succession.RELEASE);
    }

    /**
     * @param announce posts a hub notice (the ops channel)
     * @param notice tells one agent, in its inbox, that its leases were released: (agent id, text)
     * @param succession offers a silent agent's leases to a successor before the rest are released
     */
    public PresenceReaper(
            AgentStore agents,
            LeaseService leases,
            PresencePolicy policy,
            AuditLog audit,
            InstantSource clock,
            Consumer<String> announce,
            BiConsumer<String, String> notice,
            Succession succession) {
        this.agents = agents;
        this.leases = leases;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.announce = announce;
        this.notice = notice;
        this.succession = succession;
    }

    /** One pass over all agents. */
    public Pass run() {
        Instant now = clock.instant();
        List<String> stale = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        List<Lease> released = new ArrayList<>();
        List<Lease> handedOver = new ArrayList<>();
        // One read of the active leases per pass, not one per silent agent: a hub keeps every agent it ever had, and
        // asking for each offline one's leases every pass held the reader connections for seconds.
        Map<String, List<Lease>> held = leases.active().stream().collect(Collectors.groupingBy(Lease::holder));
        for (Agent agent : agents.list()) {
            Duration silent = Duration.between(agent.lastSeen(), now);
            Presence judged = policy.judge(silent);
            if (judged.ordinal() > agent.presence().ordinal()
                    && agents.transition(agent.id(), agent.presence(), agent.lastSeen(), judged, now)) {
                (judged == Presence.STALE ? stale : offline).add(agent.id());
                audit.record(
                        "hub",
                        "agent." + judged.name().toLowerCase(),
                        agent.id(),
                        Map.of("lastSeen", agent.lastSeen().toString()));
            }
            if (judged != Presence.ONLINE
                    && held.containsKey(agent.id())
                    && silent.compareTo(policy.staleAfter().plus(policy.leaseGrace())) >= 0) {
                String reason = agent.id() + " silent since " + agent.lastSeen() + " (stale after "
                        + policy.staleAfter().toSeconds() + " s, grace "
                        + policy.leaseGrace().toSeconds() + " s)";
                takeLeases(agent, held.get(agent.id()), reason, released, handedOver);
            }
        }
        for (String id : stale) {
            announce.accept(id + " is stale: no call for " + policy.staleAfter().toSeconds() + " s.");
        }
        return new Pass(stale, offline, released, handedOver);
    }

    /** Offers a silent agent's leases to its successor and releases the rest. */
    private void takeLeases(
            Agent agent, List<Lease> held, String reason, List<Lease> released, List<Lease> handedOver) {
        List<Lease> kept = succession.handOver(agent, held, reason);
        handedOver.addAll(kept);
        List<String> keptResources = kept.stream().map(Lease::resource).toList();
        List<Lease> rest =
                held.stream().filter(l -> !keptResources.contains(l.resource())).toList();
        List<Lease> ended = leases.releaseOnBehalf(agent.id(), rest, reason);
        if (!ended.isEmpty()) {
            released.addAll(ended);
            List<String> resources = ended.stream().map(Lease::resource).toList();
            announce.accept(
                    "Released " + ended.size() + " lease(s) of " + agent.id() + ": " + reason + ". " + resources);
            // The agent finds this on its return (hot-start's unread messages), before it writes to those files again.
            notice.accept(
                    agent.id(),
                    "The hub released " + ended.size() + " lease(s) of yours: " + reason + ". " + resources
                            + " Acquire them again before you change those resources.");
        }
    }
}
