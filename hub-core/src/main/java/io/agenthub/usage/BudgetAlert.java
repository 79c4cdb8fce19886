package io.agenthub.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * A budget threshold crossed: raised once per day, scope and level.
 *
 * @param scope {@code fleet}, or {@code agent:ID} for an agent's own budget
 * @param spendNanos the day's spend of the scope when it was raised
 */
public record BudgetAlert(String day, String scope, BudgetLevel level, long spendNanos, Instant at) {
    public BudgetAlert {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(at, "at");
    }
}
