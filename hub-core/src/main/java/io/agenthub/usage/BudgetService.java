package io.agenthub.usage;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.Presence;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.handoff.Target;
import io.agenthub.lifecycle.Admission;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The guide's budget alerts, per day in the configured time zone: a notice at the info threshold, a warning at the
 * warning threshold, auto-throttle at the throttle threshold, and an emergency halt at the halt threshold that holds
 * until a human acknowledges it; and per-agent daily budgets that halt one agent. Each alert is raised once per day
 * and scope, by whichever hub node records the report that crosses it.
 */
public final class BudgetService {
    /** The scope of fleet-wide alerts and halts. */
    public static final String FLEET = "fleet";
    // Work admission reads the day's fleet spend and the halts; a second-old view is good enough for that.
    private static final long SNAPSHOT_MILLIS = Duration.ofSeconds(1).toMillis();

    private final BudgetStore store;
    private final UsageStore usage;
    private final BudgetPolicy policy;
    private final AgentService agents;
    private final AuditLog audit;
    private final ZoneId zone;
    private final InstantSource clock;
    private final Consumer<String> alert;
    private final BiConsumer<String, String> notice;
    private final LlmThrottling llm;
    // Alerts known to be raised (here or on another node), so that later reports of the day skip the store.
    private final Set<String> raised = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot;

    private record Snapshot(String day, long fleetNanos, List<Halt> halts, long takenAt) {}

    /** Today's budget picture for operators. */
    public record Status(
            String day,
            String timeZone,
            long fleetNanos,
            BudgetLevel level,
            Map<BudgetLevel, Long> thresholds,
            List<Halt> halts,
            List<BudgetAlert> alerts,
            List<Acknowledgement> acknowledgements) {}

    /**
     * @param alert posts a hub alert (the alert channel)
     * @param notice sends a hub notice to one agent: (agent id, text)
     * @param llm the LLM throttling rule, whose back-off slows agents down like the throttle threshold does
     */
    public BudgetService(
            BudgetStore store,
            UsageStore usage,
            BudgetPolicy policy,
            AgentService agents,
            AuditLog audit,
            ZoneId zone,
            InstantSource clock,
            Consumer<String> alert,
            BiConsumer<String, String> notice,
            LlmThrottling llm) {
        this.store = store;
        this.usage = usage;
        this.policy = policy;
        this.agents = agents;
        this.audit = audit;
        this.zone = zone;
        this.clock = clock;
        this.alert = alert;
        this.notice = notice;
        this.llm = llm;
    }

    /** The LLM throttling rule. */
    public LlmThrottling llmThrottling() {
        return llm;
    }

    public BudgetPolicy policy() {
        return policy;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Today in the configured time zone, as {@code yyyy-MM-dd}. */
    public String today() {
        return LocalDate.ofInstant(clock.instant(), zone).toString();
    }

    /** The scope of {@code agentId}'s own budget. */
    public static String agentScope(String agentId) {
        return "agent:" + agentId;
    }

    /**
     * After a usage report was recorded with {@code totals}: raises the alerts it crossed (once per day and scope),
     * and returns where the agent stands.
     */
    public Standing afterUsage(Agent agent, DayTotals totals) {
        snapshot = null;
        long fleet = totals.fleet().costNanos();
        BudgetLevel level = policy.levelOf(fleet);
        for (BudgetLevel l : BudgetLevel.values()) {
            if (l != BudgetLevel.NORMAL && l.compareTo(level) <= 0) {
                raise(new BudgetAlert(totals.day(), FLEET, l, fleet, clock.instant()), null);
            }
        }
        Long budget = policy.budgetOf(agent.id());
        long spent = totals.agent().costNanos();
        if (budget != null && spent >= budget) {
            raise(
                    new BudgetAlert(totals.day(), agentScope(agent.id()), BudgetLevel.HALT, spent, clock.instant()),
                    agent.id());
        }
        return standing(agent.id(), totals.day(), level, fleet, spent, halts());
    }

    /** Where {@code agent} stands now. */
    public Standing standing(Agent agent) {
        String day = today();
        DayTotals totals = usage.totals(day, agent.id(), pool(agent));
        long fleet = totals.fleet().costNanos();
        return standing(
                agent.id(), day, policy.levelOf(fleet), fleet, totals.agent().costNanos(), halts());
    }

    private Standing standing(String id, String day, BudgetLevel level, long fleet, long spent, List<Halt> halts) {
        Halt halt = halts.stream()
                .filter(h -> h.scope().equals(FLEET))
                .findFirst()
                .or(() -> halts.stream()
                        .filter(h -> h.scope().equals(agentScope(id)))
                        .findFirst())
                .orElse(null);
        Duration delay = longer(
                level.compareTo(BudgetLevel.THROTTLE) >= 0 ? policy.throttleDelay() : Duration.ZERO,
                llm.backOff().orElse(Duration.ZERO));
        return new Standing(day, level, fleet, spent, policy.budgetOf(id), halt, delay);
    }

    /**
     * Admits new work by {@code caller}, or throws: while a halt of the fleet or of the caller is in force, a conflict
     * ({@code budget_halt}); while the fleet is throttled, a non-essential agent may take new work once per throttle
     * delay (counted in the budget store, so across every hub node that shares it), and is rate-limited in between.
     * Admins are always admitted.
     */
    public void admitWork(Principal caller) {
        if (!caller.isAdmin()) {
            admitWork(caller, snapshot());
        }
    }

    /**
     * Admits new work like {@link #admitWork} and returns the slow-down to ask of the caller ({@link #slowDown}), both
     * from one reading of the day's spend and halts.
     */
    public Admission admit(Principal caller) {
        Snapshot s = snapshot();
        if (!caller.isAdmin()) {
            admitWork(caller, s);
        }
        return slowDown(s).map(Admission::new).orElse(Admission.NONE);
    }

    private void admitWork(Principal caller, Snapshot s) {
        for (Halt h : s.halts()) {
            if (h.scope().equals(FLEET) || h.scope().equals(agentScope(caller.id()))) {
                throw halted(h);
            }
        }
        if (policy.levelOf(s.fleetNanos()).compareTo(BudgetLevel.THROTTLE) < 0 || essential(caller.id())) {
            return;
        }
        Duration delay = policy.throttleDelay();
        if (!delay.isPositive()) {
            return;
        }
        Instant now = clock.instant();
        Optional<Instant> next = store.admit(caller.id(), delay, now);
        if (next.isPresent()) {
            Duration retry = Duration.between(now, next.get());
            throw new HubException.RateLimited(
                    "The fleet spent " + Usd.text(s.fleetNanos()) + " today, past the " + Usd.text(policy.throttle())
                            + " throttle threshold: non-essential agents take new work at most once per "
                            + delay.toSeconds() + " s. Retry in " + Math.max(1, retry.toSeconds()) + " s.",
                    retry);
        }
    }

    /**
     * The delay every agent is asked to keep between model calls and new work while the fleet is throttled (from a
     * view of the spend at most a second old) or the hub backs off from LLM throttling ({@link LlmThrottling}), the
     * longer of the two; empty otherwise.
     */
    public Optional<Duration> slowDown() {
        return slowDown(snapshot());
    }

    private Optional<Duration> slowDown(Snapshot s) {
        Duration budget = policy.levelOf(s.fleetNanos()).compareTo(BudgetLevel.THROTTLE) >= 0
                ? policy.throttleDelay()
                : Duration.ZERO;
        Duration delay = longer(budget, llm.backOff().orElse(Duration.ZERO));
        return delay.isZero() ? Optional.empty() : Optional.of(delay);
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * An admin acknowledges the halt of the fleet ({@code agentId} null or empty) or of one agent, which lifts it. The
     * acknowledgement is recorded in the budget store and the audit log.
     */
    public Acknowledgement acknowledge(Principal caller, String agentId, String note) {
        caller.requireAdmin();
        String why = Require.text("note", note, 1024);
        String scope = agentId == null || agentId.isBlank() ? FLEET : agentScope(Require.id("agentId", agentId));
        Acknowledgement ack = store.acknowledge(scope, caller.id(), why, clock.instant())
                .orElseThrow(() -> new HubException.NotFound("No halt of " + scope + " is in force; nothing to"
                        + " acknowledge. GET /api/budget lists the halts."));
        snapshot = null;
        audit.record(
                caller.id(),
                "budget.acknowledge",
                scope,
                Map.of(
                        "haltedSince",
                        ack.halt().since().toString(),
                        "day",
                        ack.halt().day(),
                        "note",
                        why));
        alert.accept("Halt of " + scope + " (since " + ack.halt().since() + ", "
                + Usd.text(ack.halt().spendNanos())
                + " spent on " + ack.halt().day() + ") acknowledged by " + caller.id() + ": " + why
                + ". New work is accepted again.");
        return ack;
    }

    /** Today's spend, level, thresholds, halts in force, today's alerts and recent acknowledgements. */
    public Status status() {
        String day = today();
        long fleet = usage.totals(day, "", "").fleet().costNanos();
        Map<BudgetLevel, Long> thresholds = new LinkedHashMap<>();
        for (BudgetLevel l : List.of(BudgetLevel.INFO, BudgetLevel.WARN, BudgetLevel.THROTTLE, BudgetLevel.HALT)) {
            thresholds.put(l, policy.threshold(l));
        }
        return new Status(
                day,
                zone.getId(),
                fleet,
                policy.levelOf(fleet),
                thresholds,
                store.halts(),
                store.alerts(day, day),
                store.acknowledgements(20));
    }

    /** The halts in force. */
    public List<Halt> halts() {
        return store.halts();
    }

    private void raise(BudgetAlert a, String agentId) {
        String key = a.day() + "|" + a.scope() + "|" + a.level();
        if (raised.contains(key)) {
            return;
        }
        raised.removeIf(k -> !k.startsWith(a.day() + "|"));
        boolean mine = store.raise(a);
        raised.add(key);
        if (!mine) {
            return;
        }
        snapshot = null;
        audit.record(
                "hub",
                "budget." + a.level().name().toLowerCase(),
                a.scope(),
                Map.of("day", a.day(), "spent", Usd.text(a.spendNanos())));
        String text = agentId == null ? fleetText(a) : agentText(a, agentId);
        alert.accept(text);
        if (agentId != null) {
            notice.accept(agentId, text);
        } else if (a.level() == BudgetLevel.HALT) {
            for (Agent agent : agents.list()) {
                if (agent.role() == Role.AGENT && agent.presence() == Presence.ONLINE) {
                    notice.accept(agent.id(), text);
                }
            }
        }
    }

    private String fleetText(BudgetAlert a) {
        String spent = "the fleet has spent " + Usd.text(a.spendNanos()) + " on " + a.day() + " (" + zone.getId()
                + "), past the " + Usd.text(policy.threshold(a.level()));
        return switch (a.level()) {
            case NORMAL, INFO -> "Budget notice: " + spent + " info threshold.";
            case WARN ->
                "Budget warning: " + spent + " warning threshold. An operator should review the spend"
                        + " (GET /api/usage, ./hub usage).";
            case THROTTLE ->
                "Budget alert: " + spent + " throttle threshold. Auto-throttle is on: agents are told to"
                        + " slow_down (wait " + policy.throttleDelay().toSeconds() + " s between model calls), and"
                        + " non-essential agents take new work at most once per "
                        + policy.throttleDelay().toSeconds() + " s.";
            case HALT ->
                "EMERGENCY HALT: " + spent + " halt threshold. Agents are told to halt: save a checkpoint and"
                        + " stop. The hub takes no new work except from admins until an operator acknowledges"
                        + " (POST /api/budget/acknowledge, ./hub budget ack).";
        };
    }

    private String agentText(BudgetAlert a, String agentId) {
        return "Budget halt for " + agentId + ": it has spent " + Usd.text(a.spendNanos()) + " on " + a.day()
                + ", past its daily budget of " + Usd.text(policy.budgetOf(agentId)) + ". It is told to halt"
                + " and takes no new work until an operator acknowledges (POST /api/budget/acknowledge with agentId "
                + agentId + ").";
    }

    private HubException halted(Halt h) {
        String who = h.scope().equals(FLEET) ? "The fleet" : h.scope().substring("agent:".length());
        return new HubException.Conflict(
                "budget_halt",
                "Budget halt: " + who + " spent " + Usd.text(h.spendNanos()) + " on " + h.day() + ", past the halt"
                        + " threshold. The hub takes no new work until an operator acknowledges; save a checkpoint"
                        + " and stop.",
                Map.of("scope", h.scope(), "since", h.since().toString(), "day", h.day()));
    }

    private boolean essential(String agentId) {
        if (policy.essentialAgents().contains(agentId)) {
            return true;
        }
        if (policy.essentialPools().isEmpty()) {
            return false;
        }
        Optional<Agent> agent = agents.find(agentId);
        return agent.isPresent() && policy.essential(agentId, pool(agent.get()));
    }

    private Snapshot snapshot() {
        String day = today();
        long now = clock.millis();
        Snapshot s = snapshot;
        if (s != null && s.day().equals(day) && now >= s.takenAt() && now - s.takenAt() < SNAPSHOT_MILLIS) {
            return s;
        }
        s = new Snapshot(day, usage.totals(day, "", "").fleet().costNanos(), store.halts(), now);
        snapshot = s;
        return s;
    }

    /** The pool an agent's usage is accounted to: its {@value Target#POOL_LABEL} label, or empty. */
    public static String pool(Agent agent) {
        return agent.labels().getOrDefault(Target.POOL_LABEL, "");
    }
}
