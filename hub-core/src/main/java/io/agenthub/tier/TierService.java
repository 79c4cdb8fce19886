package io.agenthub.tier;

import io.agenthub.agent.Agent;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's degradation tier: who may take new work and who may write. The tier in force is the higher of the
 * baseline an admin set and what firing automatic rules demand ({@link #reconcile}); each change is recorded in the
 * {@link TierStore}, audited and announced in group chat. {@link #admit} is the one check that routes and tools call
 * before doing anything.
 *
 * <p>When the store itself is unreachable this node goes to maintenance on its own ({@link #storeDown}), without
 * recording it (nothing can be recorded then), so that writes fail fast with a clear reason; the outage is recorded
 * when the store answers again.
 */
public final class TierService {
    /** The automatic rule that a store outage triggers on each node. */
    public static final String STORE_RULE = "StoreUnavailable";

    private static final Logger LOG = LoggerFactory.getLogger(TierService.class);
    private static final int MAX_ATTEMPTS = 5;

    private final TierStore store;
    private final TierPolicy policy;
    private final Function<String, Optional<Agent>> agents;
    private final Consumer<String> announce;
    private final AuditLog audit;
    private final InstantSource clock;
    private volatile Cached cached;
    private volatile Instant outageSince;
    private volatile String outageReason = "";

    private record Cached(TierChange change, long readAtNanos) {}

    /**
     * @param agents looks agents up by id (for core labels and the tier-3 agent)
     * @param announce posts a system message in group chat
     */
    public TierService(
            TierStore store,
            TierPolicy policy,
            Function<String, Optional<Agent>> agents,
            Consumer<String> announce,
            AuditLog audit,
            InstantSource clock) {
        this.store = store;
        this.policy = policy;
        this.agents = agents;
        this.announce = announce;
        this.audit = audit;
        this.clock = clock;
    }

    public TierPolicy policy() {
        return policy;
    }

    /**
     * The tier in force on this node: the newest recorded change (read again at most every {@code refresh}), or
     * maintenance while the store is unreachable.
     */
    public TierChange current() {
        Instant down = outageSince;
        if (down != null) {
            Cached c = cached;
            return new TierChange(
                    0,
                    Tier.MAINTENANCE,
                    c == null ? Tier.FULL : c.change().baseline(),
                    "the store is unavailable (" + outageReason + ")",
                    TierChange.RULE + STORE_RULE,
                    "",
                    down);
        }
        return stored();
    }

    private TierChange stored() {
        Cached c = cached;
        if (c != null && System.nanoTime() - c.readAtNanos() < policy.refresh().toNanos()) {
            return c.change();
        }
        try {
            return remember(store.latest().orElse(TierChange.initial()));
        } catch (HubException.Unavailable e) {
            return c == null ? TierChange.initial() : c.change();
        }
    }

    private TierChange remember(TierChange change) {
        cached = new Cached(change, System.nanoTime());
        return change;
    }

    /** Recorded changes, newest first. */
    public List<TierChange> history(int limit) {
        return store.history((int) Require.range("limit", limit, 1, 1000));
    }

    /**
     * An admin sets the baseline tier. For tier 3, {@code agent} names the one agent that keeps taking new work
     * (default: the configured one). The tier in force may stay higher while automatic rules demand it.
     *
     * @param demanded what firing automatic rules demand now, by rule name
     */
    public TierChange set(Principal caller, int number, String reason, String agent, Map<String, Tier> demanded) {
        caller.requireAdmin();
        Tier baseline = Tier.of(number);
        String why = Require.text("reason", reason, 1024);
        String designated = "";
        if (baseline == Tier.MINIMAL) {
            designated = agent == null || agent.isBlank() ? policy.designatedAgent() : agent;
            if (designated.isEmpty()) {
                throw new HubException.InvalidRequest(
                        "Tier 3 lets one agent keep working; name it with agent (or configure"
                                + " tier-designated-agent).",
                        Map.of("field", "agent"));
            }
            Require.id("agent", designated);
            String id = designated;
            agents.apply(id).orElseThrow(() -> new HubException.NotFound("No agent " + id + " to keep working."));
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            TierChange latest = store.latest().orElse(TierChange.initial());
            Map.Entry<String, Tier> top = highest(demanded);
            Tier effective = top != null && top.getValue().above(baseline) ? top.getValue() : baseline;
            String reasonText = effective == baseline
                    ? why
                    : why + " (tier " + effective.number() + " stays in force while rule " + top.getKey() + " fires)";
            TierChange next = new TierChange(
                    0,
                    effective,
                    baseline,
                    reasonText,
                    caller.id(),
                    effective == Tier.MINIMAL ? (designated.isEmpty() ? policy.designatedAgent() : designated) : "",
                    clock.instant());
            Optional<TierChange> stored = store.append(latest.seq(), next);
            if (stored.isPresent()) {
                recorded(latest, stored.get());
                return stored.get();
            }
        }
        throw new HubException.Conflict(
                "tier_contended", "The tier changed concurrently several times; read it and try again.", Map.of());
    }

    /**
     * Brings the tier in force in line with the baseline and what firing rules demand; records, audits and announces a
     * change if there is one. Safe on several nodes at once: the append is a compare-and-set.
     *
     * @param demanded what firing automatic rules demand now, by rule name
     * @return the change recorded, if any
     */
    public Optional<TierChange> reconcile(Map<String, Tier> demanded) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            TierChange latest = store.latest().orElse(TierChange.initial());
            Map.Entry<String, Tier> top = highest(demanded);
            Tier effective =
                    top != null && top.getValue().above(latest.baseline()) ? top.getValue() : latest.baseline();
            if (effective == latest.tier()) {
                remember(latest);
                return Optional.empty();
            }
            String reason;
            String actor;
            if (top != null && effective == top.getValue()) {
                actor = TierChange.RULE + top.getKey();
                reason = "automatic: rule " + top.getKey() + " fires";
            } else {
                actor = latest.automatic() ? latest.actor() : TierChange.RULE + "cleared";
                reason = "automatic: "
                        + (latest.automatic()
                                ? "rule " + latest.actor().substring(TierChange.RULE.length()) + " no longer fires"
                                : "no rule demands more any more")
                        + "; back to the baseline an admin set";
            }
            TierChange next = new TierChange(
                    0,
                    effective,
                    latest.baseline(),
                    reason,
                    actor,
                    effective == Tier.MINIMAL ? policy.designatedAgent() : "",
                    clock.instant());
            Optional<TierChange> stored = store.append(latest.seq(), next);
            if (stored.isPresent()) {
                recorded(latest, stored.get());
                return stored;
            }
        }
        return Optional.empty();
    }

    /** This node cannot reach the store: refuse writes locally until {@link #storeUp} (idempotent). */
    public void storeDown(String reason) {
        if (outageSince == null) {
            outageReason = reason;
            outageSince = clock.instant();
            LOG.warn("Store unavailable ({}): this node refuses writes (tier 4) until it answers again.", reason);
        }
    }

    /** The store answers again: lift the local maintenance and record the outage (idempotent). */
    public void storeUp() {
        Instant since = outageSince;
        if (since == null) {
            return;
        }
        outageSince = null;
        Instant now = clock.instant();
        String text = "The store was unavailable from " + time(since) + " to " + time(now) + " (" + outageReason
                + "); this node refused writes meanwhile.";
        LOG.warn(text);
        try {
            TierChange latest = store.latest().orElse(TierChange.initial());
            store.append(
                    latest.seq(),
                    new TierChange(
                            0,
                            latest.tier(),
                            latest.baseline(),
                            text,
                            TierChange.RULE + STORE_RULE,
                            latest.agent(),
                            now));
            audit.record("hub", "tier.outage", "store", Map.of("from", since.toString(), "to", now.toString()));
            announce.accept(text);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the store outage: {}", e.getMessage());
        }
    }

    /**
     * Admits or refuses a request in the tier in force; throws {@link HubException.Unavailable} (503 with Retry-After)
     * with code {@code tier_restricted} when refused. Admins and reads and upkeep always pass.
     *
     * @param caller the authenticated caller, or null on public routes
     */
    public void admit(Principal caller, Work work) {
        if (work == Work.READ || work == Work.UPKEEP || (caller != null && caller.isAdmin())) {
            return;
        }
        TierChange t = current();
        switch (t.tier()) {
            case FULL -> {}
            case REDUCED -> {
                if (work == Work.NEW_WORK && !isCore(caller)) {
                    throw refusal(t, "only core agents (label " + policy.coreLabel() + ") take new work now");
                }
            }
            case MINIMAL -> {
                if (work == Work.NEW_WORK && (caller == null || !caller.id().equals(t.agent()))) {
                    throw refusal(
                            t,
                            t.agent().isEmpty()
                                    ? "no agent takes new work now"
                                    : "only " + t.agent() + " takes new work now");
                }
            }
            case MAINTENANCE ->
                throw refusal(
                        t,
                        "the hub is read-only: no new work and no writes except heartbeats, releases, checkpoints, error"
                                + " reports, usage reports and handing work over");
        }
    }

    private boolean isCore(Principal caller) {
        if (caller == null) {
            return false;
        }
        return agents.apply(caller.id())
                .map(a -> policy.coreValue().equals(a.labels().get(policy.coreKey())))
                .orElse(false);
    }

    private HubException refusal(TierChange t, String what) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tier", t.tier().number());
        details.put("tierName", t.tier().label());
        details.put("reason", t.reason());
        details.put("since", t.at().toString());
        return new HubException.Unavailable(
                "tier_restricted",
                "The hub is in tier " + t.tier().number() + " (" + t.tier().label() + ") since " + time(t.at()) + ": "
                        + t.reason() + ". Now " + what + "; retry after "
                        + policy.retryAfter().toSeconds()
                        + " s or ask an operator.",
                policy.retryAfter(),
                details);
    }

    private void recorded(TierChange before, TierChange after) {
        remember(after);
        audit.record(
                after.actor(),
                "tier.set",
                "tier-" + after.tier().number(),
                Map.of(
                        "from", Integer.toString(before.tier().number()),
                        "baseline", Integer.toString(after.baseline().number()),
                        "reason", after.reason()));
        if (before.tier() != after.tier() || before.baseline() != after.baseline() || !after.automatic()) {
            String text = "Tier " + after.tier().number() + " (" + after.tier().label() + ")"
                    + (before.tier() == after.tier()
                            ? " stays in force"
                            : " is now in force (was " + before.tier().number() + ")")
                    + ", set by " + after.actor() + ": " + after.reason() + "."
                    + (after.tier() == Tier.MINIMAL
                            ? (after.agent().isEmpty()
                                    ? " No agent takes new work."
                                    : " Only " + after.agent() + " takes new work.")
                            : "")
                    + (after.baseline() != after.tier()
                            ? " Baseline set by an admin: tier "
                                    + after.baseline().number() + "."
                            : "");
            try {
                announce.accept(text);
            } catch (RuntimeException e) {
                LOG.warn("Could not announce the tier change: {}", e.getMessage());
            }
        }
    }

    private static Map.Entry<String, Tier> highest(Map<String, Tier> demanded) {
        Map.Entry<String, Tier> top = null;
        for (Map.Entry<String, Tier> e : new java.util.TreeMap<>(demanded).entrySet()) {
            if (top == null || e.getValue().above(top.getValue())) {
                top = e;
            }
        }
        return top;
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
