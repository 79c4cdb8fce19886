package io.agenthub.tier;

/**
 * What a request does, as far as degradation is concerned. Each HTTP route and MCP tool declares one; the
 * {@link TierService} admits or refuses it in the current tier.
 */
public enum Work {
    /** Reads; allowed in every tier. */
    READ,
    /**
     * Writes that keep existing work safe or observable: heartbeats, lease releases, checkpoints, inbox
     * acknowledgements, error reports, usage reports, and handing work over (creating a handoff or a transfer,
     * declining, completing or cancelling one). Allowed in every tier, so that agents can wind down cleanly.
     */
    UPKEEP,
    /** Other writes (chat, memories, renewals, profiles); refused to non-admins in maintenance. */
    WRITE,
    /**
     * Taking on new work (acquiring a lease, accepting a handoff); from tier 2 on only core agents, in tier 3 only the
     * designated agent, in tier 4 only admins.
     */
    NEW_WORK
}
