package io.agenthub.usage;

import java.util.Objects;

/**
 * What the hub adds to the counters for one report: the day (in the configured time zone, {@code yyyy-MM-dd}), who,
 * which pool and model, and the call's {@link Tally} (usually one call).
 *
 * @param pool the agent's pool when it reported, or empty
 */
public record UsageEntry(String day, String agentId, String pool, String model, Tally tally) {
    public UsageEntry {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(agentId, "agentId");
        pool = pool == null ? "" : pool;
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tally, "tally");
    }
}
