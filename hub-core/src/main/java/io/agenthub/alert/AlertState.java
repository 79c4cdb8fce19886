package io.agenthub.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one rule's alert stands, shared by all hub nodes.
 *
 * @param since when it entered {@code status}
 * @param value the reading that caused the last transition, or null
 * @param version assigned by the store: one more on every change, for compare-and-set
 */
public record AlertState(
        String rule, Status status, Severity severity, Instant since, Double value, String summary, long version) {
    /** Inactive (the condition does not hold), pending (holds, not yet long enough) or firing. */
    public enum Status {
        INACTIVE,
        PENDING,
        FIRING
    }

    public AlertState {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(since, "since");
        summary = summary == null ? "" : summary;
    }

    /** The state of a rule that has never been recorded. */
    public static AlertState initial(AlertRule rule) {
        return new AlertState(rule.name(), Status.INACTIVE, rule.severity(), Instant.EPOCH, null, "", 0);
    }

    AlertState next(Status status, Instant since, Reading reading) {
        return new AlertState(rule, status, severity, since, reading.value(), reading.summary(), version);
    }
}
