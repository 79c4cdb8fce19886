package io.agenthub.errorlog;

import java.util.Objects;

/**
 * One occurrence of an issue, kept in the issue's bounded history.
 *
 * @param seq position among all events, assigned by the store; strictly increasing
 * @param issueId the issue it belongs to (its fingerprint)
 */
public record ErrorEvent(long seq, String issueId, ErrorReport report) {
    public ErrorEvent {
        Objects.requireNonNull(issueId, "issueId");
        Objects.requireNonNull(report, "report");
    }
}
