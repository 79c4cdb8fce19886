package io.agenthub.agent;

import io.agenthub.lease.Lease;
import java.util.List;

/**
 * What becomes of a silent agent's leases when the reaper takes them away: handed over to a successor, or released.
 */
@FunctionalInterface
public interface Succession {
    /** Hands nothing over: the reaper releases every lease. */
    Succession RELEASE = (agent, held, reason) -> List.of();

    /**
     * Offers {@code held}, the active leases of the silent {@code agent}, to a successor. Returns the leases that are
     * now covered by a handoff (left to run out at their own expiry unless a successor takes them first); the reaper
     * releases the rest. Must never extend a lease. Must be idempotent: a later pass over the same agent returns the
     * leases already covered without handing them over twice.
     */
    List<Lease> handOver(Agent agent, List<Lease> held, String reason);
}
