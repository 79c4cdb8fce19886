package io.agenthub.usage;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The daily budget: the fleet's thresholds, how agents are throttled, and per-agent budgets. Amounts are nano-dollars
 * ({@link Usd}).
 *
 * @param throttleDelay the delay recommended to every agent past the throttle threshold, and the least time between
 *     two pieces of new work a non-essential agent may take then
 * @param essentialAgents agents that are never throttled (they still halt)
 * @param essentialPools pools whose agents are never throttled
 * @param agentDefault every agent's daily budget, or null for none
 * @param agentBudgets daily budgets of named agents, overriding the default
 */
public record BudgetPolicy(
        long info,
        long warn,
        long throttle,
        long halt,
        Duration throttleDelay,
        Set<String> essentialAgents,
        Set<String> essentialPools,
        Long agentDefault,
        Map<String, Long> agentBudgets) {
    public BudgetPolicy {
        if (info <= 0 || warn < info || throttle < warn || halt < throttle) {
            throw new IllegalArgumentException(
                    "budget thresholds must be positive and info <= warn <= throttle <= halt");
        }
        if (throttleDelay.isNegative() || throttleDelay.isZero()) {
            throw new IllegalArgumentException("throttleDelay must be positive");
        }
        essentialAgents = Set.copyOf(essentialAgents);
        essentialPools = Set.copyOf(essentialPools);
        agentBudgets = Map.copyOf(agentBudgets);
    }

    /** The guide's thresholds: $100 info, $250 warning, $500 throttle, $1000 halt; 30 s delay; no agent budgets. */
    public static BudgetPolicy defaults() {
        return new BudgetPolicy(
                100 * Usd.NANOS,
                250 * Usd.NANOS,
                500 * Usd.NANOS,
                1000 * Usd.NANOS,
                Duration.ofSeconds(30),
                Set.of(),
                Set.of(),
                null,
                Map.of());
    }

    /** The level that a day's fleet spend of {@code nanos} has reached. */
    public BudgetLevel levelOf(long nanos) {
        if (nanos >= halt) {
            return BudgetLevel.HALT;
        }
        if (nanos >= throttle) {
            return BudgetLevel.THROTTLE;
        }
        if (nanos >= warn) {
            return BudgetLevel.WARN;
        }
        return nanos >= info ? BudgetLevel.INFO : BudgetLevel.NORMAL;
    }

    /** The threshold of {@code level} (0 for NORMAL). */
    public long threshold(BudgetLevel level) {
        return switch (level) {
            case NORMAL -> 0;
            case INFO -> info;
            case WARN -> warn;
            case THROTTLE -> throttle;
            case HALT -> halt;
        };
    }

    /** {@code agentId}'s daily budget, or null if it has none. */
    public Long budgetOf(String agentId) {
        return agentBudgets.getOrDefault(agentId, agentDefault);
    }

    public boolean essential(String agentId, String pool) {
        return essentialAgents.contains(agentId) || (pool != null && essentialPools.contains(pool));
    }
}
