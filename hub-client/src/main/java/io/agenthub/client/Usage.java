package io.agenthub.client;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/** {@code /api/usage}, {@code /api/budget} and {@code /api/routing}. Amounts are USD. */
public final class Usage {
    private final Transport t;

    /**
     * One model call's token counts; null counts are zero. {@code status} is the provider's HTTP status for the call
     * when it is worth reporting (null otherwise): 429 (rate limited) and 529 (overloaded) count towards the fleet's
     * LLM throttling back-off, which answers every agent {@code slow_down} while it lasts.
     */
    public record Report(
            String model,
            Long inputTokens,
            Long outputTokens,
            Long cacheReadTokens,
            Long cacheWriteTokens,
            Long contextTokens,
            Integer status) {
        /** A report without a provider status. */
        public Report(
                String model,
                Long inputTokens,
                Long outputTokens,
                Long cacheReadTokens,
                Long cacheWriteTokens,
                Long contextTokens) {
            this(model, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, contextTokens, null);
        }
    }

    /**
     * The hub's answer to a report: {@code directive} is {@code ok}, {@code slow_down}, {@code warn}, {@code transfer}
     * or {@code halt} (lower case), with the reason, spend so far and thresholds.
     */
    public record Receipt(
            String directive,
            String reason,
            long delaySeconds,
            long contextTokens,
            long warnAt,
            long transferAt,
            String day,
            String model,
            BigDecimal costUsd,
            BigDecimal agentTodayUsd,
            BigDecimal poolTodayUsd,
            BigDecimal fleetTodayUsd,
            BigDecimal agentBudgetUsd,
            String budgetLevel,
            String handoffId) {}

    record Ack(String agentId, String note) {}

    Usage(Transport t) {
        this.t = t;
    }

    /** Reports a model call and returns the directive. */
    public Receipt report(Report report) {
        return t.post("/api/usage", report, Receipt.class);
    }

    /** Usage per day between {@code from} and {@code to} (ISO dates; null: the hub's default window). */
    public JsonNode summary(String from, String to, String agentId, String pool) {
        return t.get(
                Transport.query("/api/usage", "from", from, "to", to, "agentId", agentId, "pool", pool),
                JsonNode.class);
    }

    /** Today's spend, level, thresholds, halts, alerts and acknowledgements. */
    public JsonNode budget() {
        return t.get("/api/budget", JsonNode.class);
    }

    /** Admin: lifts a budget halt of an agent (null: the fleet's). */
    public JsonNode acknowledge(String agentId, String note) {
        return t.post("/api/budget/acknowledge", new Ack(agentId, note), JsonNode.class);
    }

    /** Which model to use for {@code simple}, {@code moderate} or {@code complex} work (null: all). */
    public JsonNode routing(String complexity) {
        return t.get(Transport.query("/api/routing", "complexity", complexity), JsonNode.class);
    }
}
