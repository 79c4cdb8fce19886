package io.agenthub.handoff;

import static io.agenthub.handoff.HandoffText.checkpointContext;
import static io.agenthub.handoff.HandoffText.clip;
import static io.agenthub.handoff.HandoffText.clipItems;
import static io.agenthub.handoff.HandoffText.clipUtf8;
import static io.agenthub.handoff.HandoffText.firstNonBlank;
import static io.agenthub.handoff.HandoffText.time;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.Presence;
import io.agenthub.agent.Succession;
import io.agenthub.audit.AuditLog;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The hub's own handoff work: expiring handoffs nobody accepted, and offering a silent agent's leases to its pool
 * ({@link Succession} for the presence reaper). Both run on a schedule and are safe on several hub nodes at once:
 * every change is a compare-and-set in the store, and only the node whose change applied sends notices.
 */
public final class HandoffJanitor implements Succession {
    private final HandoffStore store;
    private final AgentService agents;
    private final LeaseService leases;
    private final AuditLog audit;
    private final HandoffPolicy policy;
    private final InstantSource clock;
    private final HandoffNotices notices;
    private final Function<String, Checkpoint> latestCheckpoint;

    HandoffJanitor(
            HandoffStore store,
            AgentService agents,
            LeaseService leases,
            AuditLog audit,
            HandoffPolicy policy,
            InstantSource clock,
            HandoffNotices notices,
            Function<String, Checkpoint> latestCheckpoint) {
        this.store = store;
        this.agents = agents;
        this.leases = leases;
        this.audit = audit;
        this.policy = policy;
        this.clock = clock;
        this.notices = notices;
        this.latestCheckpoint = latestCheckpoint;
    }

    /**
     * Expires pending handoffs whose time is up: one addressed to a named agent goes back to the pool once; otherwise
     * it expires, and the leases it carried are released if the sender is no longer online (a silent agent's work
     * nobody took). Alerts either way. Returns the handoffs it changed.
     */
    public List<Handoff> expireDue() {
        Instant now = clock.instant();
        List<Handoff> changed = new ArrayList<>();
        for (Handoff h : store.due(now, 100)) {
            boolean back = h.fallback() != null && !h.returned();
            Optional<Handoff> after = back
                    ? store.expire(h.id(), h.fallback(), now.plus(policy.pendingTtl()), "", now)
                    : store.expire(h.id(), null, null, "Nobody accepted it by " + time(h.expiresAt()) + ".", now);
            after.ifPresent(done -> {
                changed.add(done);
                if (back) {
                    returned(h, done);
                } else {
                    expired(done);
                }
            });
        }
        return changed;
    }

    private void returned(Handoff before, Handoff after) {
        notices.alert("Handoff " + after.id() + " (" + after.title() + ") was not accepted by " + before.to()
                + " in time; it is back with " + after.to() + " until " + time(after.expiresAt()) + ".");
        notices.toSender(
                after,
                "hub",
                "Nobody accepted handoff " + after.id() + " in time; it went back to " + after.to() + ".");
        notices.offered(after);
    }

    private void expired(Handoff h) {
        audit.record("hub", "handoff.expire", h.id(), Map.of("from", h.from(), "to", h.to().toString()));
        List<Lease> released = List.of();
        Optional<Agent> sender = agents.find(h.from());
        if (sender.isPresent() && sender.get().presence() != Presence.ONLINE) {
            List<Lease> carried = leases.heldBy(h.from()).stream()
                    .filter(l -> h.leases().contains(l.resource()))
                    .toList();
            released = leases.releaseOnBehalf(
                    h.from(), carried, "handoff " + h.id() + " expired and " + h.from() + " is silent");
        }
        notices.alert("Handoff " + h.id() + " (" + h.title() + ") from " + h.from() + " expired: nobody in " + h.to()
                + " accepted it."
                + (released.isEmpty() ? "" : " Released " + released.size() + " lease(s) it carried.")
                + " Assign the work by hand.");
        notices.toSender(h, "hub", "Nobody accepted handoff " + h.id() + " (" + h.title() + "); it expired.");
    }

    /**
     * The reaper's succession: offers a silent agent's leases to its pool in one handoff (kind REAPED) instead of
     * dropping them. Leases already carried by a pending handoff of the agent are covered without a new one. The leases
     * are not extended: each stays with the silent agent until its own expiry, so a handoff never blocks a resource for
     * agents outside the pool longer than the lease itself would have; whoever accepts gets fresh leases (the store
     * grants a carried resource that has become free in the meantime). Idempotent across passes and nodes.
     */
    @Override
    public List<Lease> handOver(Agent agent, List<Lease> held, String reason) {
        Instant now = clock.instant();
        Set<String> covered = new HashSet<>();
        for (Handoff h : store.list(EnumSet.of(HandoffStatus.PENDING), HandoffService.MAX_LIST)) {
            if (h.from().equals(agent.id())) {
                covered.addAll(h.leases());
            }
        }
        List<Lease> fresh =
                held.stream().filter(l -> !covered.contains(l.resource())).toList();
        if (!fresh.isEmpty()) {
            Checkpoint cp = latestCheckpoint.apply(agent.id());
            HandoffStore.Created created = store.create(new NewHandoff(
                    Handoff.Kind.REAPED,
                    agent.id(),
                    Target.poolOf(agent),
                    null,
                    clip(
                            "Work of silent " + agent.id() + ": "
                                    + firstNonBlank(
                                            cp == null ? "" : cp.currentTask(), agent.currentTask(), "unknown task"),
                            HandoffPolicy.MAX_TITLE),
                    clipUtf8(
                            reason + "." + (cp == null ? " No checkpoint saved." : "\n\n" + checkpointContext(cp)),
                            HandoffPolicy.MAX_CONTEXT_BYTES),
                    cp == null ? List.of() : clipItems(cp.pendingWork()),
                    cp == null ? List.of() : clipItems(cp.filesTouched()),
                    fresh.stream()
                            .limit(policy.maxLeases())
                            .map(Lease::resource)
                            .toList(),
                    cp == null ? 0 : cp.version(),
                    now,
                    now.plus(policy.pendingTtl()),
                    "reaped:" + agent.id()));
            if (created.handoff().status() == HandoffStatus.PENDING) {
                covered.addAll(created.handoff().leases());
            }
            if (created.created()) {
                Handoff h = created.handoff();
                audit.record("hub", "handoff.reaped", h.id(), Map.of("from", agent.id(), "leases", "" + h.leases()));
                notices.alert(agent.id() + " went silent holding " + h.leases().size() + " lease(s); handoff " + h.id()
                        + " offers them to " + h.to() + " until " + time(h.expiresAt())
                        + "; each lease still ends at its own expiry.");
                notices.offered(h);
            }
        }
        return held.stream().filter(l -> covered.contains(l.resource())).toList();
    }
}
