package io.agenthub.trace;

import java.time.Instant;
import java.util.Objects;

/**
 * One step in an agent's trail.
 *
 * @param seq assigned by the store, strictly increasing (orders entries of the same millisecond)
 * @param kind {@code call}, {@code lease}, {@code message} or {@code error}
 * @param action what happened, e.g. {@code POST /api/leases}, {@code acquire}, {@code dm}, {@code report}
 * @param subject what it was about, e.g. a resource, a channel, a recipient, an issue
 * @param outcome the result, e.g. an HTTP status, {@code granted}, {@code refused by builder-2}
 * @param millis how long it took, or 0 when not measured
 */
public record TraceEntry(
        long seq, String agentId, Instant at, String kind, String action, String subject, String outcome, long millis) {
    public TraceEntry {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        subject = subject == null ? "" : subject;
        outcome = outcome == null ? "" : outcome;
    }
}
