package io.agenthub.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /api/leases}: claims, locks and zones (a resource ending in {@code /} covers everything under it). */
public final class Leases {
    private final Transport t;
    private final double renewFraction;

    /** One grant; {@code token} is the fencing token that renew and release name. */
    public record Lease(
            String resource, String holder, long token, Instant acquiredAt, Instant expiresAt, String note) {}

    /** For each resource asked about, the other agents' leases that would block an acquire. */
    public record Check(boolean free, Map<String, List<Lease>> conflicts) {}

    record Acquire(String resource, Long ttlSeconds, String note) {}

    record TokenBody(String resource, long token, Long ttlSeconds) {}

    record Force(String resource, String reason) {}

    record Released(boolean released, Lease lease) {}

    record LeaseList(List<Lease> leases) {}

    Leases(Transport t, double renewFraction) {
        this.t = t;
        this.renewFraction = renewFraction;
    }

    /**
     * Acquires {@code resource} and keeps it: the returned lease renews itself on a virtual thread every
     * {@code ttl × renew-fraction} (a third by default) and releases on {@link HubLease#close()}. Acquiring a lease the
     * caller already holds extends it.
     *
     * @throws HubProblem.Conflict when another agent holds it ({@code holder}, {@code expiresAt} say who and until when)
     */
    public HubLease acquire(String resource, Duration ttl) {
        return acquire(resource, ttl, null);
    }

    /** Like {@link #acquire(String, Duration)}, with a note other agents see. */
    public HubLease acquire(String resource, Duration ttl, String note) {
        long sentNanos = System.nanoTime();
        return new HubLease(this, grant(resource, ttl, note), ttl, renewFraction, sentNanos);
    }

    /** Acquires once, without renewing: the lease ends at {@code expiresAt} unless renewed. {@code ttl} null: default. */
    public Lease grant(String resource, Duration ttl, String note) {
        return t.post("/api/leases", new Acquire(resource, seconds(ttl), note), Lease.class);
    }

    /** Extends the grant {@code token} names by {@code ttl} (null: the hub's default) from now. */
    public Lease renew(String resource, long token, Duration ttl) {
        return t.post("/api/leases/renew", new TokenBody(resource, token, seconds(ttl)), Lease.class);
    }

    /** Ends the grant {@code token} names and returns it. */
    public Lease release(String resource, long token) {
        return t.post("/api/leases/release", new TokenBody(resource, token, null), Released.class)
                .lease();
    }

    /** Admin: ends whatever lease is active on {@code resource}; the reason goes to the audit log. */
    public Lease forceRelease(String resource, String reason) {
        return t.post("/api/leases/force-release", new Force(resource, reason), Released.class)
                .lease();
    }

    /** Every active lease. */
    public List<Lease> active() {
        return t.get("/api/leases", LeaseList.class).leases();
    }

    /** The active leases of one agent. */
    public List<Lease> heldBy(String agentId) {
        return t.get(Transport.query("/api/leases", "holder", agentId), LeaseList.class)
                .leases();
    }

    /** Which of the resources others hold; no side effects. */
    public Check check(String... resources) {
        return t.get(Transport.query("/api/leases/check", "resource", List.of(resources)), Check.class);
    }

    /** Whole seconds, rounded up, at least one; null stays null (the hub's default). */
    static Long seconds(Duration ttl) {
        if (ttl == null) {
            return null;
        }
        long s = ttl.toSeconds() + (ttl.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
