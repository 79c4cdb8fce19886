package io.agenthub.usage;

import java.time.Duration;

/**
 * Where one agent stands against the budgets today.
 *
 * @param level the fleet's level today
 * @param agentBudgetNanos the agent's daily budget, or null if it has none
 * @param halt the halt in force that stops this agent (the fleet's first, else its own), or null
 * @param delay the recommended delay between model calls and new work while the fleet is throttled, else zero
 */
public record Standing(
        String day,
        BudgetLevel level,
        long fleetNanos,
        long agentNanos,
        Long agentBudgetNanos,
        Halt halt,
        Duration delay) {
    public boolean halted() {
        return halt != null;
    }

    public boolean throttled() {
        return !delay.isZero();
    }
}
