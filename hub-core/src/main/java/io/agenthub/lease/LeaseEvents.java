package io.agenthub.lease;

import java.util.List;

/**
 * What happened to leases, told after the store's atomic operation: the one way the side effects of a lease operation
 * (counters, metrics, the holder's trail) are attached. The lease service tells its observers of every acquire, renew,
 * release and forced release, and of leases another operation moved to a new holder (a handoff accepted), which they
 * see as grants like any acquire. Observers are cheap and never fail the operation.
 */
public interface LeaseEvents {
    /** Observes nothing. */
    LeaseEvents NONE = new LeaseEvents() {};

    /** An acquire of {@code resource} by {@code holder} ended with {@code outcome} (granted, refused or at the limit). */
    default void acquired(String holder, String resource, Acquisition outcome) {}

    /** A renew of the lease {@code token} on {@code resource} by {@code holder}, applied or refused. */
    default void renewed(String holder, String resource, long token, LeaseOutcome outcome) {}

    /** A release of the lease {@code token} on {@code resource} by {@code holder} (or the hub for it). */
    default void released(String holder, String resource, long token, LeaseOutcome outcome) {}

    /** An admin ended {@code ended}. */
    default void forceReleased(Lease ended) {}

    /** All of {@code observers}, in order. */
    static LeaseEvents all(List<LeaseEvents> observers) {
        List<LeaseEvents> list = List.copyOf(observers);
        return new LeaseEvents() {
            @Override
            public void acquired(String holder, String resource, Acquisition outcome) {
                list.forEach(o -> o.acquired(holder, resource, outcome));
            }

            @Override
            public void renewed(String holder, String resource, long token, LeaseOutcome outcome) {
                list.forEach(o -> o.renewed(holder, resource, token, outcome));
            }

            @Override
            public void released(String holder, String resource, long token, LeaseOutcome outcome) {
                list.forEach(o -> o.released(holder, resource, token, outcome));
            }

            @Override
            public void forceReleased(Lease ended) {
                list.forEach(o -> o.forceReleased(ended));
            }
        };
    }
}
