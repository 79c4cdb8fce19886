package io.agenthub.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Storage SPI for handoffs. Every method is one atomic operation; state changes are compare-and-set on the status, so
 * of concurrent callers exactly one moves a handoff on. Time is passed in; a pending handoff can be accepted while
 * {@code now < expiresAt}.
 */
public interface HandoffStore {
    /** The result of a create: the stored handoff, and whether this call created it. */
    record Created(Handoff handoff, boolean created) {}

    /**
     * Stores {@code handoff} as pending with the next id ({@code ho-1}, {@code ho-2}, ..., never reused). If its
     * {@code dedupeKey} is not empty and an open (pending or accepted) handoff with the same key exists, stores
     * nothing and returns that one with {@code created = false}. Atomic, so concurrent creates with one key make one.
     */
    Created create(NewHandoff handoff);

    Optional<Handoff> find(String id);

    /** Handoffs whose status is in {@code statuses}, newest first, at most {@code limit}. */
    List<Handoff> list(Set<HandoffStatus> statuses, int limit);

    /**
     * Accepts a pending handoff for {@code acceptor} and moves its leases, all in one atomic operation; refuses if it
     * is not pending or {@code now >= expiresAt}. Of concurrent accepts exactly one wins. The resources in
     * {@link Handoff#leases()} are taken longest name first (a zone after the names inside it), each as follows:
     *
     * <ul>
     *   <li>held (actively) by the sender: the lease is re-granted to {@code acceptor} with the next fencing token, from
     *       the same counter as {@link io.agenthub.lease.LeaseStore} (so the sender's old token is fenced off), keeping
     *       its note, and expiring at {@code max(its expiry, now + leaseTtl)};
     *   <li>already held by {@code acceptor}: left as it is;
     *   <li>free: granted to {@code acceptor} with the next fencing token, expiring at {@code now + leaseTtl};
     *   <li>overlapped by an active lease of any other agent, or of the sender on a resource that is not listed: not
     *       moved; the blocking lease is reported. (The sender's leases on listed resources never block: they move in
     *       the same operation.)
     * </ul>
     *
     * No listed resource is ever unowned or owned twice in between.
     */
    Acceptance accept(String id, String acceptor, Duration leaseTtl, Instant now);

    /**
     * Records that {@code agentId} declines a pending handoff: with {@code close} the handoff becomes DECLINED (a named
     * recipient refused it) with {@code reason} as its note; otherwise the agent is added to {@code declinedBy} and it
     * stays pending for the others. Empty if it was not pending.
     */
    Optional<Handoff> decline(String id, String agentId, boolean close, String reason, Instant now);

    /** Completes a handoff accepted by {@code acceptor}, with its note. Empty if it is not accepted by them. */
    Optional<Handoff> complete(String id, String acceptor, String note, Instant now);

    /** Withdraws a pending handoff (CANCELLED) with {@code note}. Empty if it was not pending. */
    Optional<Handoff> cancel(String id, String note, Instant now);

    /**
     * Expires a pending handoff whose {@code expiresAt <= now}. With a {@code retarget}, it stays pending, addressed to
     * {@code retarget} until {@code newExpiresAt}, with {@code returned = true}; without one it becomes EXPIRED with
     * {@code note}. Empty if it was not pending or not yet due (another node expired it, or someone accepted it).
     */
    Optional<Handoff> expire(String id, Target retarget, Instant newExpiresAt, String note, Instant now);

    /** Pending handoffs with {@code expiresAt <= now}, oldest expiry first, at most {@code limit}. */
    List<Handoff> due(Instant now, int limit);
}
