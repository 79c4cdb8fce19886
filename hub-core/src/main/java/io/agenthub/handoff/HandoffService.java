package io.agenthub.handoff;

import static io.agenthub.handoff.HandoffText.checkpointContext;
import static io.agenthub.handoff.HandoffText.clip;
import static io.agenthub.handoff.HandoffText.clipItems;
import static io.agenthub.handoff.HandoffText.clipUtf8;
import static io.agenthub.handoff.HandoffText.firstNonBlank;
import static io.agenthub.handoff.HandoffText.time;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointService;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import io.agenthub.lifecycle.Activity;
import io.agenthub.lifecycle.Admission;
import io.agenthub.message.MessageService;
import io.agenthub.text.AgentText;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Handing work over. The store makes every state change atomic; this service owns who may do what (only the addressed
 * agents accept, only the recipient completes, only the sender or an admin cancels), limits, transfers built from a
 * checkpoint, expiry, and the notices that tell the people involved.
 */
public final class HandoffService {
    /** The most handoffs one listing returns. */
    public static final int MAX_LIST = 500;

    private final HandoffStore store;
    private final AgentService agents;
    private final LeaseService leases;
    private final CheckpointService checkpoints;
    private final AuditLog audit;
    private final Activity activity;
    private final HandoffPolicy policy;
    private final InstantSource clock;
    private final HandoffNotices notices;
    private final HandoffJanitor janitor;
    private final AgentText cleaner;

    /**
     * @param alert posts a hub alert (the alert channel)
     * @param activity admits creating and accepting as new work, and is told of every step (progress)
     * @param cleaner cleans the text of every handoff and note before it is stored (see {@link AgentText})
     */
    public HandoffService(
            HandoffStore store,
            AgentService agents,
            LeaseService leases,
            CheckpointService checkpoints,
            MessageService messages,
            AuditLog audit,
            Activity activity,
            HandoffPolicy policy,
            InstantSource clock,
            Consumer<String> alert,
            AgentText cleaner) {
        this.cleaner = cleaner;
        this.store = store;
        this.agents = agents;
        this.leases = leases;
        this.checkpoints = checkpoints;
        this.audit = audit;
        this.activity = activity;
        this.policy = policy;
        this.clock = clock;
        this.notices = new HandoffNotices(messages, agents, alert);
        this.janitor = new HandoffJanitor(store, agents, leases, audit, policy, clock, notices, this::latestCheckpoint);
    }

    /** Expiry and the reaper's succession. */
    public HandoffJanitor janitor() {
        return janitor;
    }

    public HandoffPolicy policy() {
        return policy;
    }

    /** The caller hands work over; the listed leases stay with the caller until someone accepts. */
    public Handoff create(Principal caller, HandoffRequest request) {
        Agent sender = agentOf(caller, "hand work over");
        if (request == null) {
            throw new HubException.InvalidRequest("A handoff needs a body with at least a title.");
        }
        Target to = Target.parse(request.to());
        Agent recipient = to.kind() == Target.Kind.AGENT ? recipient(to.value()) : null;
        Checkpoint cp = request.fromCheckpoint() ? latestCheckpoint(sender.id()) : null;
        String title = Require.text(
                "title",
                firstNonBlank(
                        cleaner.clean(request.title()), cp == null ? "" : cp.currentTask(), "Work of " + sender.id()),
                HandoffPolicy.MAX_TITLE);
        String context = Require.utf8(
                "context",
                firstNonBlank(cleaner.clean(request.context()), cp == null ? "" : checkpointContext(cp)),
                HandoffPolicy.MAX_CONTEXT_BYTES);
        List<String> nextSteps = cleaner.clean(items(
                "nextSteps", request.nextSteps().isEmpty() && cp != null ? cp.pendingWork() : request.nextSteps()));
        List<String> files = cleaner.clean(
                items("files", request.files().isEmpty() && cp != null ? cp.filesTouched() : request.files()));
        List<String> resources = ownLeases(sender.id(), request.leases(), request.allLeases());
        // Handing work over is how an agent winds down, so budgets never hold it up; accepting is new work.
        Instant now = clock.instant();
        Target fallback = recipient == null ? null : fallback(recipient, sender);
        HandoffStore.Created created = store.create(new NewHandoff(
                Handoff.Kind.MANUAL,
                sender.id(),
                to,
                fallback,
                title,
                context,
                nextSteps,
                files,
                resources,
                cp == null ? 0 : cp.version(),
                now,
                now.plus(policy.pendingTtl()),
                ""));
        Handoff h = created.handoff();
        activity.progressed(sender.id());
        notices.offered(h);
        return h;
    }

    /**
     * Hands {@code agent}'s work over to a fresh session because it reached its context limit or was told to: a
     * transfer from its latest checkpoint to its pool (or to itself when it has none), carrying every lease it holds.
     * Idempotent: while a transfer of this agent is open, returns that one.
     */
    public HandoffStore.Created transfer(Agent agent, String reason) {
        Instant now = clock.instant();
        Checkpoint cp = latestCheckpoint(agent.id());
        Target to = Target.poolOf(agent);
        if (to.kind() == Target.Kind.ANY) {
            to = Target.agent(agent.id());
        }
        String title = "Transfer of " + agent.id() + ": "
                + firstNonBlank(cp == null ? "" : cp.currentTask(), agent.currentTask(), "its current work");
        String context = reason + (cp == null ? "\nNo checkpoint saved." : "\n\n" + checkpointContext(cp));
        HandoffStore.Created created = store.create(new NewHandoff(
                Handoff.Kind.TRANSFER,
                agent.id(),
                to,
                to.kind() == Target.Kind.AGENT ? fallback(agent, agent) : null,
                clip(title, HandoffPolicy.MAX_TITLE),
                clipUtf8(context, HandoffPolicy.MAX_CONTEXT_BYTES),
                cp == null ? List.of() : clipItems(cp.pendingWork()),
                cp == null ? List.of() : clipItems(cp.filesTouched()),
                leases.heldBy(agent.id()).stream()
                        .limit(policy.maxLeases())
                        .map(Lease::resource)
                        .toList(),
                cp == null ? 0 : cp.version(),
                now,
                now.plus(policy.pendingTtl()),
                "transfer:" + agent.id()));
        if (created.created()) {
            Handoff h = created.handoff();
            notices.alert(
                    agent.id() + " is transferring: " + reason + " Handoff " + h.id() + " is for " + h.to() + ".");
            notices.offered(h);
        }
        return created;
    }

    /** The caller (for itself) or an admin (for any agent) asks for a transfer now. */
    public Handoff transfer(Principal caller, String agentId) {
        caller.requireWriter();
        String id = agentId == null || agentId.isBlank() ? caller.id() : Require.id("agentId", agentId);
        if (!id.equals(caller.id()) && !caller.isAdmin()) {
            throw new HubException.Forbidden("An agent may ask only for its own transfer; an admin may name any.");
        }
        Agent agent = agents.get(id);
        if (agent.role() != Role.AGENT) {
            throw new HubException.InvalidRequest(id + " is not an agent; only agents transfer.");
        }
        HandoffStore.Created created = transfer(agent, "Transfer requested by " + caller.id() + ".");
        if (!caller.id().equals(id)) {
            notices.notice(
                    id,
                    "Transfer now: save a checkpoint and stop; handoff "
                            + created.handoff().id() + " carries your work to a fresh session.");
        }
        return created.handoff();
    }

    /**
     * An accepted handoff and the admission that let the caller take it: the slow-down to ask for comes from the same
     * reading of the budget that admitted the work, so an accept reads the budget once.
     */
    public record Taken(Acceptance.Accepted accepted, Admission admission) {}

    /** The caller accepts a pending handoff addressed to it; the listed leases move to it in the same operation. */
    public Acceptance.Accepted accept(Principal caller, String id) {
        return take(caller, id).accepted();
    }

    /** {@link #accept}, with the admission of the work taken (for the answer's slow-down directive). */
    public Taken take(Principal caller, String id) {
        Agent me = agentOf(caller, "accept handoffs");
        Handoff h = get(id);
        if (h.status() == HandoffStatus.PENDING) {
            checkAddressed(h, me, "accept");
        }
        Admission admission = activity.admit(caller);
        Acceptance outcome = store.accept(h.id(), me.id(), policy.leaseTtl(), clock.instant());
        if (outcome instanceof Acceptance.Refused refused) {
            throw notPending(refused.current() == null ? h : refused.current(), "accept");
        }
        Acceptance.Accepted accepted = (Acceptance.Accepted) outcome;
        leases.moved(me.id(), accepted.moved());
        Handoff done = accepted.handoff();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", done.from());
        accepted.moved().forEach(l -> details.put(l.resource(), "token " + l.token()));
        audit.record(me.id(), "handoff.accept", done.id(), details);
        activity.progressed(me.id());
        notices.toSender(
                done,
                me.id(),
                me.id() + " accepted handoff " + done.id() + " (" + done.title() + ")"
                        + (accepted.moved().isEmpty()
                                ? "."
                                : "; " + accepted.moved().size() + " lease(s) moved."));
        return new Taken(accepted, admission);
    }

    /**
     * The caller declines a pending handoff addressed to it. A named recipient's decline closes it; for a pool it stays
     * open for the others.
     */
    public Handoff decline(Principal caller, String id, String reason) {
        Agent me = agentOf(caller, "decline handoffs");
        String why = cleaner.clean(Require.optional("reason", reason, 1024));
        Handoff h = get(id);
        if (h.status() != HandoffStatus.PENDING) {
            throw notPending(h, "decline");
        }
        checkAddressed(h, me, "decline");
        boolean close = h.to().kind() == Target.Kind.AGENT;
        Handoff done = store.decline(h.id(), me.id(), close, why, clock.instant())
                .orElseThrow(() -> notPending(current(h), "decline"));
        notices.toSender(
                done,
                me.id(),
                me.id() + " declined handoff " + done.id() + " (" + done.title() + ")"
                        + (why.isEmpty() ? "" : ": " + why)
                        + (close ? ". Your leases stay with you; hand it to someone else." : "."));
        return done;
    }

    /** The recipient reports the handed-over work done. */
    public Handoff complete(Principal caller, String id, String note) {
        Agent me = agentOf(caller, "complete handoffs");
        String text = cleaner.clean(Require.optional("note", note, 4096));
        Handoff h = get(id);
        Handoff done = store.complete(h.id(), me.id(), text, clock.instant()).orElseThrow(() -> {
            Handoff now = current(h);
            if (now.status() == HandoffStatus.ACCEPTED) {
                return new HubException.Forbidden(
                        "Handoff " + now.id() + " was accepted by " + now.acceptedBy() + "; only they complete it.");
            }
            return notPending(now, "complete");
        });
        activity.progressed(me.id());
        notices.toSender(
                done,
                me.id(),
                me.id() + " completed handoff " + done.id() + " (" + done.title() + ")"
                        + (text.isEmpty() ? "." : ": " + text));
        return done;
    }

    /** The sender or an admin withdraws a pending handoff. */
    public Handoff cancel(Principal caller, String id, String note) {
        caller.requireWriter();
        String text = cleaner.clean(Require.optional("note", note, 1024));
        Handoff h = get(id);
        if (!caller.isAdmin() && !caller.id().equals(h.from())) {
            throw new HubException.Forbidden(
                    "Only " + h.from() + " (the sender) or an admin may cancel handoff " + h.id() + ".");
        }
        Handoff done = store.cancel(h.id(), text, clock.instant()).orElseThrow(() -> notPending(current(h), "cancel"));
        if (caller.isAdmin()) {
            audit.record(caller.id(), "handoff.cancel", done.id(), Map.of("from", done.from(), "note", text));
        }
        return done;
    }

    public Handoff get(String id) {
        return store.find(id).orElseThrow(() -> new HubException.NotFound("No handoff " + id + "."));
    }

    /** One handoff as {@code caller} may see it: whole for its parties and admins, else {@link Handoff#summary()}. */
    public Handoff get(Principal caller, String id) {
        return visible(caller, Optional.empty(), get(id));
    }

    /**
     * The handoff whole if {@code caller} is a party to it (its sender, an agent its target or fallback admits, its
     * acceptor) or an admin; otherwise its summary. The body of a transfer is the departing agent's checkpoint.
     *
     * @param me the caller's agent record when already looked up, else empty
     */
    private Handoff visible(Principal caller, Optional<Agent> me, Handoff h) {
        if (caller.isAdmin() || h.from().equals(caller.id()) || h.acceptedBy().equals(caller.id())) {
            return h;
        }
        Optional<Agent> agent = me.isPresent() || caller.role() != Role.AGENT ? me : agents.find(caller.id());
        boolean receiver = agent.filter(a -> h.to().admits(a)
                        || (h.fallback() != null && h.fallback().admits(a)))
                .isPresent();
        return receiver ? h : h.summary();
    }

    /**
     * Handoffs with the given status (all open ones when null), newest first. With {@code mine}, only those that
     * concern the caller: sent by it, accepted by it, or pending and addressed to it. Handoffs the caller is not a
     * party to come without their body ({@link Handoff#summary()}).
     */
    public List<Handoff> list(Principal caller, HandoffStatus status, boolean mine, int limit) {
        Require.range("limit", limit, 1, MAX_LIST);
        Set<HandoffStatus> statuses =
                status == null ? EnumSet.of(HandoffStatus.PENDING, HandoffStatus.ACCEPTED) : EnumSet.of(status);
        List<Handoff> all = store.list(statuses, mine ? MAX_LIST : limit);
        Optional<Agent> me = caller.role() == Role.AGENT ? agents.find(caller.id()) : Optional.empty();
        return all.stream()
                .filter(h -> !mine
                        || h.from().equals(caller.id())
                        || h.acceptedBy().equals(caller.id())
                        || (me.isPresent() && addressed(h, me.get())))
                .limit(limit)
                .map(h -> visible(caller, me, h))
                .toList();
    }

    /**
     * What a (restarted) agent should know: handoffs it accepted and has not completed, then pending ones it may
     * accept, newest first.
     */
    public List<Handoff> forAgent(Agent agent) {
        List<Handoff> open = store.list(EnumSet.of(HandoffStatus.PENDING, HandoffStatus.ACCEPTED), MAX_LIST);
        List<Handoff> out = new ArrayList<>();
        open.stream()
                .filter(h ->
                        h.status() == HandoffStatus.ACCEPTED && h.acceptedBy().equals(agent.id()))
                .forEach(out::add);
        open.stream()
                .filter(h -> h.status() == HandoffStatus.PENDING && addressed(h, agent))
                .forEach(out::add);
        return out;
    }

    /** The sender's latest checkpoint, for a successor reading a handoff; empty if there is none. */
    public Optional<Checkpoint> senderCheckpoint(Handoff h) {
        return Optional.ofNullable(latestCheckpoint(h.from()));
    }

    private Agent agentOf(Principal caller, String what) {
        caller.requireWriter();
        if (caller.isAdmin()) {
            throw new HubException.InvalidRequest("Only agents " + what + "; use an agent's token.");
        }
        return agents.get(caller.id());
    }

    private Agent recipient(String id) {
        return agents.find(id)
                .filter(a -> a.role() == Role.AGENT)
                .orElseThrow(() -> new HubException.NotFound(
                        "No agent " + id + " to hand over to; check the id, or address a pool with pool:NAME."));
    }

    private Handoff current(Handoff h) {
        return store.find(h.id()).orElse(h);
    }

    private static boolean addressed(Handoff h, Agent agent) {
        return h.status() == HandoffStatus.PENDING
                && h.to().admits(agent)
                && !h.declinedBy().contains(agent.id());
    }

    private static void checkAddressed(Handoff h, Agent me, String verb) {
        if (!h.to().admits(me)) {
            throw new HubException.Forbidden(
                    "Handoff " + h.id() + " is for " + h.to() + "; " + me.id() + " may not " + verb + " it.");
        }
        if (h.declinedBy().contains(me.id())) {
            throw new HubException.Conflict(
                    "handoff_declined",
                    me.id() + " already declined handoff " + h.id() + ".",
                    Map.of("id", h.id(), "status", h.status().name().toLowerCase()));
        }
    }

    private static HubException notPending(Handoff h, String verb) {
        String why = switch (h.status()) {
            case PENDING -> "it expired at " + time(h.expiresAt()) + " and is about to go back to the pool or expire.";
            case ACCEPTED -> h.acceptedBy() + " accepted it at " + time(h.acceptedAt()) + ".";
            case DECLINED -> "it was declined.";
            case COMPLETED -> "it was completed at " + time(h.closedAt()) + ".";
            case EXPIRED -> "it expired at " + time(h.closedAt()) + "; nobody accepted it.";
            case CANCELLED -> "the sender cancelled it.";
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", h.id());
        details.put("status", h.status().name().toLowerCase());
        if (!h.acceptedBy().isEmpty()) {
            details.put("acceptedBy", h.acceptedBy());
        }
        return new HubException.Conflict(
                "handoff_" + h.status().name().toLowerCase(),
                "Cannot " + verb + " handoff " + h.id() + ": " + why,
                details);
    }

    /**
     * Resources of the sender's active leases named in the request (or all of them), each made canonical the way the
     * lease service makes it, and checked.
     */
    private List<String> ownLeases(String sender, List<String> requested, boolean all) {
        Require.list("leases", requested, policy.maxLeases(), io.agenthub.lease.Resources.MAX_LENGTH);
        List<Lease> held = leases.heldBy(sender);
        Set<String> out = new LinkedHashSet<>();
        if (all) {
            held.forEach(l -> out.add(l.resource()));
        }
        List<String> missing = new ArrayList<>();
        for (String r : leases.naming().canonicalAll(requested)) {
            if (held.stream().anyMatch(l -> l.resource().equals(r))) {
                out.add(r);
            } else {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            throw new HubException.Conflict(
                    "not_holder",
                    sender + " holds no active lease on " + String.join(", ", missing)
                            + "; a handoff passes on only leases you hold. Acquire them first or leave them out.",
                    Map.of("resources", missing));
        }
        if (out.size() > policy.maxLeases()) {
            throw new HubException.TooLarge(
                    "A handoff carries at most " + policy.maxLeases() + " leases.",
                    Map.of("limit", policy.maxLeases()));
        }
        return List.copyOf(out);
    }

    private Checkpoint latestCheckpoint(String agentId) {
        return checkpoints.latest(new Principal(agentId, Role.AGENT)).orElse(null);
    }

    private static Target fallback(Agent recipient, Agent sender) {
        Target pool = Target.poolOf(recipient);
        return pool.kind() == Target.Kind.ANY ? Target.poolOf(sender) : pool;
    }

    private static List<String> items(String field, List<String> values) {
        return Require.list(field, values, HandoffPolicy.MAX_ITEMS, HandoffPolicy.MAX_ITEM_CHARS);
    }
}
