package io.agenthub.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert fired or resolved: the history entry, and what notifiers deliver.
 *
 * @param seq assigned by the store, strictly increasing
 * @param startedAt when the condition started to hold (for a resolution: when the alert began)
 */
public record AlertEvent(
        long seq,
        String rule,
        Severity severity,
        Kind kind,
        Instant at,
        Double value,
        String summary,
        Instant startedAt) {
    /** Fired or resolved. */
    public enum Kind {
        FIRING,
        RESOLVED
    }

    public AlertEvent {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        summary = summary == null ? "" : summary;
        Objects.requireNonNull(startedAt, "startedAt");
    }

    public AlertEvent withSeq(long seq) {
        return new AlertEvent(seq, rule, severity, kind, at, value, summary, startedAt);
    }
}
