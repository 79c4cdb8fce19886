package io.agenthub.lease;

import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lifecycle.Activity;
import io.agenthub.lifecycle.Admission;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims, locks and zones as one concept. The store owns atomicity; this service owns policy: TTL limits, who may act,
 * audit, and sentences that explain every refusal. Every resource name it is given is first made canonical by its
 * {@link ResourceNaming} ({@code ./src//a.ts} is {@code src/a.ts}), so one file is one lease, and every lease and
 * refusal it returns names the canonical resource.
 */
public final class LeaseService {
    private final LeaseStore store;
    private final LeasePolicy policy;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Activity activity;
    private final ResourceNaming naming;
    private final LeaseEvents events;

    /**
     * A granted acquire; {@code created} is false when the caller already held it and it was extended;
     * {@code admission} says how long the caller is asked to slow down (read with the admission of the work).
     */
    public record Grant(Lease lease, boolean created, Admission admission) {
        public Grant(Lease lease, boolean created) {
            this(lease, created, Admission.NONE);
        }
    }

    public LeaseService(LeaseStore store, LeasePolicy policy, AuditLog audit, InstantSource clock) {
        this(store, policy, audit, clock, Activity.NONE);
    }

    /**
     * @param activity admits each acquire as new work (budgets) and is told of every acquire, renew and release
     *     (progress)
     */
    public LeaseService(LeaseStore store, LeasePolicy policy, AuditLog audit, InstantSource clock, Activity activity) {
        this(store, policy, audit, clock, activity, ResourceNaming.DEFAULT);
    }

    /** A lease service with no {@link LeaseEvents} observers. */
    public LeaseService(
            LeaseStore store,
            LeasePolicy policy,
            AuditLog audit,
            InstantSource clock,
            Activity activity,
            ResourceNaming naming) {
        this(store, policy, audit, clock, activity, naming, LeaseEvents.NONE);
    }

    /**
     * @param activity admits each acquire as new work (budgets) and is told of every acquire, renew and release
     *     (progress)
     * @param naming makes every resource name canonical before it reaches the store
     * @param events told of every lease operation after the store's atomic step (counters, metrics, trails)
     */
    public LeaseService(
            LeaseStore store,
            LeasePolicy policy,
            AuditLog audit,
            InstantSource clock,
            Activity activity,
            ResourceNaming naming,
            LeaseEvents events) {
        this.store = store;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.activity = activity;
        this.naming = naming;
        this.events = events;
    }

    public LeasePolicy policy() {
        return policy;
    }

    /** The rules that make resource names canonical; every name this service is given goes through them. */
    public ResourceNaming naming() {
        return naming;
    }

    /** Acquires {@code resource} for the caller or throws {@link HubException.Conflict} naming the holder. */
    public Grant acquire(Principal caller, String resource, Long ttlSeconds, String note) {
        caller.requireWriter();
        String name = checkResource(resource);
        Duration ttl = ttl(ttlSeconds);
        String text = Require.optional("note", note, 1024);
        Admission admission = activity.admit(caller);
        Instant now = clock.instant();
        Acquisition outcome = store.tryAcquire(name, caller.id(), ttl, text, now, policy.maxHeldPerAgent());
        events.acquired(caller.id(), name, outcome);
        return switch (outcome) {
            case Acquisition.Granted g -> {
                activity.progressed(caller.id());
                yield new Grant(g.lease(), !g.renewed(), admission);
            }
            case Acquisition.Refused r -> throw held(name, r.blockers());
            case Acquisition.LimitReached l ->
                throw new HubException.Conflict(
                        "too_many_leases",
                        caller.id() + " already holds " + l.held()
                                + " leases, the most one agent may hold; release some first.",
                        Map.of("limit", policy.maxHeldPerAgent()));
        };
    }

    /** Extends the caller's lease identified by {@code token}. */
    public Lease renew(Principal caller, String resource, long token, Long ttlSeconds) {
        caller.requireWriter();
        String name = checkResource(resource);
        Instant now = clock.instant();
        LeaseOutcome outcome = store.renew(name, caller.id(), token, ttl(ttlSeconds), now);
        events.renewed(caller.id(), name, token, outcome);
        if (!outcome.applied()) {
            throw refused("renew", name, caller, token, outcome, now);
        }
        activity.progressed(caller.id());
        return outcome.latest();
    }

    /** Releases the caller's lease identified by {@code token}. */
    public Lease release(Principal caller, String resource, long token) {
        caller.requireWriter();
        String name = checkResource(resource);
        Instant now = clock.instant();
        LeaseOutcome outcome = store.release(name, caller.id(), token, now);
        events.released(caller.id(), name, token, outcome);
        if (!outcome.applied()) {
            throw refused("release", name, caller, token, outcome, now);
        }
        activity.progressed(caller.id());
        return outcome.latest();
    }

    /** Admin action: ends whatever lease is active on {@code resource}, and records it. */
    public Lease forceRelease(Principal caller, String resource, String reason) {
        caller.requireAdmin();
        String name = checkResource(resource);
        String why = Require.text("reason", reason, 1024);
        Lease ended = store.forceRelease(name, clock.instant())
                .orElseThrow(() -> new HubException.NotFound("No active lease on " + name + "; nothing to release."));
        events.forceReleased(ended);
        audit.record(
                caller.id(),
                "lease.force-release",
                name,
                Map.of("holder", ended.holder(), "token", Long.toString(ended.token()), "reason", why));
        return ended;
    }

    /**
     * Ends every active lease of {@code holder} on behalf of the hub (the presence reaper), recording each with the
     * reason. Idempotent: a lease already ended by another node is skipped.
     */
    public List<Lease> releaseAllOf(String holder, String reason) {
        return releaseOnBehalf(holder, store.heldBy(holder, clock.instant()), reason);
    }

    /**
     * Ends the given leases of {@code holder} on behalf of the hub, each only while its token still holds it, and
     * records each with the reason. Returns the leases it ended.
     */
    public List<Lease> releaseOnBehalf(String holder, List<Lease> leases, String reason) {
        Instant now = clock.instant();
        List<Lease> ended = new ArrayList<>();
        for (Lease lease : leases) {
            LeaseOutcome outcome = store.release(lease.resource(), holder, lease.token(), now);
            events.released(holder, lease.resource(), lease.token(), outcome);
            if (outcome.applied()) {
                ended.add(lease);
                audit.record(
                        "hub",
                        "lease.reaped",
                        lease.resource(),
                        Map.of("holder", holder, "token", Long.toString(lease.token()), "reason", reason));
            }
        }
        return ended;
    }

    /**
     * Leases another store operation moved to {@code holder} (a handoff accepted, which moves them atomically with the
     * handoff): the observers see each as a grant, like an acquire.
     */
    public void moved(String holder, List<Lease> moved) {
        for (Lease lease : moved) {
            events.acquired(holder, lease.resource(), new Acquisition.Granted(lease, false));
        }
    }

    public List<Lease> active() {
        return store.active(clock.instant());
    }

    public List<Lease> heldBy(String holder) {
        return store.heldBy(holder, clock.instant());
    }

    /** For each resource, the active leases that would block {@code caller} from acquiring it. No side effects. */
    public Map<String, List<Lease>> check(Principal caller, List<String> resources) {
        Require.list("resource", resources, 100, Resources.MAX_LENGTH);
        if (resources.isEmpty()) {
            throw new HubException.InvalidRequest("Name at least one resource to check.");
        }
        Instant now = clock.instant();
        Map<String, List<Lease>> result = new LinkedHashMap<>();
        for (String resource : resources) {
            String name = checkResource(resource);
            result.put(
                    name,
                    store.overlapping(name, now).stream()
                            .filter(l -> !l.holder().equals(caller.id()))
                            .toList());
        }
        return result;
    }

    /** Forgets grants that ended more than {@code keep} ago. */
    public int purge(Duration keep) {
        return store.purgeEndedBefore(clock.instant().minus(keep));
    }

    private Duration ttl(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return policy.defaultTtl();
        }
        Require.range("ttlSeconds", ttlSeconds, 1, policy.maxTtl().toSeconds());
        return Duration.ofSeconds(ttlSeconds);
    }

    private String checkResource(String resource) {
        return naming.canonical(resource);
    }

    private static HubException held(String resource, List<Lease> blockers) {
        Lease first = blockers.getFirst();
        String what =
                first.resource().equals(resource) ? resource : first.resource() + " (which overlaps " + resource + ")";
        return new HubException.Conflict(
                "lease_held",
                what + " is held by " + first.holder() + " until " + time(first.expiresAt())
                        + "; retry after that or ask them to release it.",
                Map.of(
                        "resource", resource,
                        "holder", first.holder(),
                        "expiresAt", first.expiresAt().toString(),
                        "blockers",
                                blockers.stream().map(LeaseService::describe).toList()));
    }

    private static HubException refused(
            String verb, String resource, Principal caller, long token, LeaseOutcome o, Instant now) {
        Lease latest = o.latest();
        String why;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("resource", resource);
        details.put("token", token);
        if (latest == null) {
            why = "there is no lease on " + resource + ".";
        } else if (latest.token() == token && !latest.holder().equals(caller.id())) {
            throw new HubException.Forbidden("Lease token " + token + " on " + resource + " belongs to "
                    + latest.holder() + ", not " + caller.id() + ".");
        } else if (latest.token() == token && o.releasedAt() != null) {
            why = "it was already released at " + time(o.releasedAt()) + ".";
            details.put("releasedAt", o.releasedAt().toString());
        } else if (latest.token() == token) {
            why = "it expired at " + time(latest.expiresAt()) + " and " + resource + " is free; acquire it again.";
            details.put("expiredAt", latest.expiresAt().toString());
        } else if (o.releasedAt() == null && latest.expiresAt().isAfter(now)) {
            why = "that grant is over; " + resource + " is now held by " + latest.holder() + " (token " + latest.token()
                    + ") until " + time(latest.expiresAt()) + ".";
            details.put("holder", latest.holder());
            details.put("currentToken", latest.token());
            details.put("expiresAt", latest.expiresAt().toString());
        } else {
            why = "that grant is over and " + resource + " is free; acquire it again.";
        }
        return new HubException.Conflict(
                "not_holder", "Cannot " + verb + " " + resource + " with token " + token + ": " + why, details);
    }

    private static Map<String, Object> describe(Lease l) {
        return Map.of(
                "resource",
                l.resource(),
                "holder",
                l.holder(),
                "expiresAt",
                l.expiresAt().toString());
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
