package io.agenthub.handoff;

import io.agenthub.lease.Lease;
import java.util.List;

/** The result of an accept: the handoff taken with its leases moved, or why not. */
public sealed interface Acceptance {
    /**
     * The caller won the handoff.
     *
     * @param moved the leases the recipient now holds for the listed resources, each with a new fencing token (or its
     *     own existing lease, if it already held the resource)
     * @param blocked active leases of other agents that kept a listed resource from moving; empty when all moved
     */
    record Accepted(Handoff handoff, List<Lease> moved, List<Lease> blocked) implements Acceptance {
        public Accepted {
            moved = List.copyOf(moved);
            blocked = List.copyOf(blocked);
        }
    }

    /** The handoff was not pending (already taken, closed or expired); {@code current} is how it stands, or null. */
    record Refused(Handoff current) implements Acceptance {}
}
