package io.agenthub.usage;

import java.math.BigDecimal;

/**
 * The answer to a usage report: what to do now and why, and where the agent and the fleet stand today. Amounts are
 * USD.
 *
 * @param delaySeconds the recommended wait before the next model call or new work; 0 unless slowing down
 * @param contextTokens the agent's context size the directive was judged on
 * @param warnAt the context size from which the agent is warned
 * @param transferAt the context size from which the agent transfers
 * @param agentBudgetUsd the agent's daily budget, or null if it has none
 * @param handoffId the transfer handoff carrying the agent's work on, when the directive is transfer
 */
public record UsageReceipt(
        Directive directive,
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
        BudgetLevel budgetLevel,
        String handoffId) {}
