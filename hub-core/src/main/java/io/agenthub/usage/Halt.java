package io.agenthub.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * An emergency halt in force: it holds, also across midnight, until a human acknowledges it.
 *
 * @param scope {@code fleet}, or {@code agent:ID}
 * @param day the day whose spend raised it
 * @param spendNanos that day's spend when it was raised
 */
public record Halt(String scope, String day, long spendNanos, Instant since) {
    public Halt {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(since, "since");
    }
}
