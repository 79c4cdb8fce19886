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
     * acknowledgements, error reports. Allowed in every tier, so that agents can wind down cleanly.
     */
    UPKEEP,
    /** Other writes (chat, memories, renewals, profiles); refused to non-admins in maintenance. */
    WRITE,
    /** Taking on new work (acquiring a lease); limited from tier 2 on. */
    NEW_WORK
}
