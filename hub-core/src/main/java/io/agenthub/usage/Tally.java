package io.agenthub.usage;

/**
 * Counters of model calls: how many, tokens of each kind, and their cost in nano-dollars (10^-9 USD), so that sums are
 * exact integers.
 */
public record Tally(
        long calls, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long costNanos) {
    public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0);

    public Tally plus(Tally o) {
        return new Tally(
                calls + o.calls,
                inputTokens + o.inputTokens,
                outputTokens + o.outputTokens,
                cacheReadTokens + o.cacheReadTokens,
                cacheWriteTokens + o.cacheWriteTokens,
                costNanos + o.costNanos);
    }

    /** All tokens of every kind. */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
    }
}
