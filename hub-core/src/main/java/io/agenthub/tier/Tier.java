package io.agenthub.tier;

import io.agenthub.error.HubException;
import java.util.Locale;
import java.util.Map;

/** The deployment guide's four degradation tiers, from full service to maintenance. */
public enum Tier {
    /** Tier 1: all agents active, full coordination. */
    FULL,
    /** Tier 2: only core agents take new work. */
    REDUCED,
    /** Tier 3: one designated agent takes new work; other requests for new work are refused. */
    MINIMAL,
    /** Tier 4: read-only; no new work and no writes except by admins and upkeep. */
    MAINTENANCE;

    /** 1 to 4. */
    public int number() {
        return ordinal() + 1;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tier with this number; 400 otherwise. */
    public static Tier of(int number) {
        if (number < 1 || number > 4) {
            throw new HubException.InvalidRequest(
                    "tier must be 1 (full), 2 (reduced), 3 (minimal) or 4 (maintenance); got " + number + ".",
                    Map.of("field", "tier"));
        }
        return values()[number - 1];
    }

    /** True if this tier is more restrictive than {@code other}. */
    public boolean above(Tier other) {
        return ordinal() > other.ordinal();
    }
}
