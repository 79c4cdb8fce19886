package io.agenthub.usage;

import java.math.BigDecimal;
import java.util.List;

/**
 * Tokens and cost over a range of days, in total and broken down by agent, pool, model and day (each largest cost
 * first, days in order).
 */
public record UsageSummary(
        String timeZone,
        String from,
        String to,
        Line total,
        List<Line> byAgent,
        List<Line> byPool,
        List<Line> byModel,
        List<Line> byDay) {
    /** One line of a breakdown; {@code key} is the agent, pool (empty for none), model or day. */
    public record Line(
            String key,
            long calls,
            long inputTokens,
            long outputTokens,
            long cacheReadTokens,
            long cacheWriteTokens,
            BigDecimal costUsd) {
        static Line of(String key, Tally t) {
            return new Line(
                    key,
                    t.calls(),
                    t.inputTokens(),
                    t.outputTokens(),
                    t.cacheReadTokens(),
                    t.cacheWriteTokens(),
                    Usd.dollars(t.costNanos()));
        }
    }
}
