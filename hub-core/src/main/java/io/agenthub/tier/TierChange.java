package io.agenthub.tier;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of the hub's tier; the newest change is the current state. The tier in force is the higher of what an
 * admin set ({@code baseline}) and what firing automatic rules demand; every change of either is recorded.
 *
 * @param seq assigned by the store, strictly increasing
 * @param tier the tier in force from {@code at}
 * @param baseline the tier an admin set last (automatic rules never change it)
 * @param actor who caused the change: an admin id, {@code rule:<name>} for an automatic rule, or {@code hub}
 * @param agent for {@link Tier#MINIMAL}, the one agent that may take new work (empty: none may)
 */
public record TierChange(long seq, Tier tier, Tier baseline, String reason, String actor, String agent, Instant at) {
    /** Prefix of the actor of automatic changes. */
    public static final String RULE = "rule:";

    public TierChange {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        agent = agent == null ? "" : agent;
        Objects.requireNonNull(at, "at");
    }

    /** The state of a hub whose tier was never set: full service. */
    public static TierChange initial() {
        return new TierChange(0, Tier.FULL, Tier.FULL, "never changed", "hub", "", Instant.EPOCH);
    }

    /** True if an automatic rule caused this change. */
    public boolean automatic() {
        return actor.startsWith(RULE);
    }

    /** This change with a store-assigned sequence number. */
    public TierChange withSeq(long seq) {
        return new TierChange(seq, tier, baseline, reason, actor, agent, at);
    }
}
