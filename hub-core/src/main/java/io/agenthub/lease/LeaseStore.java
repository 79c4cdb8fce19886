package io.agenthub.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for leases. Each method is one atomic operation in the store: no caller ever observes, and no concurrent
 * caller can interleave with, a half-done acquire, renew or release. Time is always passed in; a lease is active while
 * {@code now < expiresAt}. Implementations never decide with a clock of their own.
 */
public interface LeaseStore {
    /**
     * Grants {@code resource} to {@code holder} for {@code ttl} unless another holder has an active lease that overlaps
     * it (same name, an enclosing zone, or, for a zone, any lease inside it). A new grant takes the next fencing token,
     * strictly greater than every token handed out before by this store, including before a restart. If the holder
     * already holds exactly this resource, the grant is extended to {@code max(expiresAt, now + ttl)} and keeps its
     * token. Atomic: of concurrent contenders for overlapping resources, exactly one is granted.
     */
    default Acquisition tryAcquire(String resource, String holder, Duration ttl, String note, Instant now) {
        return tryAcquire(resource, holder, ttl, note, now, Integer.MAX_VALUE);
    }

    /**
     * As {@link #tryAcquire(String, String, Duration, String, Instant)}, and a new grant (not the extension of one the
     * holder already has) is refused with {@link Acquisition.LimitReached} when {@code holder} already holds
     * {@code maxHeld} active leases. The count and the grant are one atomic step, so concurrent acquires by one holder
     * never exceed the limit together.
     */
    Acquisition tryAcquire(String resource, String holder, Duration ttl, String note, Instant now, int maxHeld);

    /**
     * Sets the expiry to {@code now + ttl} only if the lease with {@code token} is still the active grant on
     * {@code resource} and belongs to {@code holder}. Atomic compare-and-set.
     */
    LeaseOutcome renew(String resource, String holder, long token, Duration ttl, Instant now);

    /** Ends the lease only if {@code token} is still the active grant on {@code resource} held by {@code holder}. */
    LeaseOutcome release(String resource, String holder, long token, Instant now);

    /** Ends the active lease on {@code resource} whoever holds it (admin action); empty if none was active. */
    Optional<Lease> forceRelease(String resource, Instant now);

    /** Active leases, ordered by resource. */
    List<Lease> active(Instant now);

    /** Active leases of one holder, ordered by resource. */
    List<Lease> heldBy(String holder, Instant now);

    /** Active leases that overlap {@code resource} (see {@link Resources#overlap}), held by anyone. No side effects. */
    List<Lease> overlapping(String resource, Instant now);

    /** Forgets released or expired grants that ended before {@code before}; returns how many. */
    int purgeEndedBefore(Instant before);
}
