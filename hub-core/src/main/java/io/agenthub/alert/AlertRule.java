package io.agenthub.alert;

import io.agenthub.tier.Tier;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A rule of the alert engine: a condition evaluated on every pass.
 *
 * @param name a stable name such as {@code HighErrorRate}
 * @param holdFor how long the condition must hold before the alert fires (Prometheus' {@code for}); zero fires at once
 * @param condition the condition in words, e.g. {@code error_rate > 0.05}
 * @param raises the tier this rule demands while it fires (an automatic degradation rule), or null
 * @param evaluator measures the condition; may throw, which skips the rule for that pass
 */
public record AlertRule(
        String name,
        Severity severity,
        Duration holdFor,
        String condition,
        String description,
        Tier raises,
        Supplier<Reading> evaluator) {
    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(holdFor, "holdFor");
        Objects.requireNonNull(condition, "condition");
        description = description == null ? "" : description;
        Objects.requireNonNull(evaluator, "evaluator");
    }
}
