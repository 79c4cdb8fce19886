package io.agenthub.errorlog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Occurrences of one error, grouped by fingerprint.
 *
 * @param id the fingerprint
 * @param level the most severe level seen
 * @param count every occurrence, also those beyond the kept history
 * @param agents the reporters, in order of first report, at most the store's bound
 * @param lastMessage the message of the newest occurrence
 * @param statusChangedAt when the status last changed (by triage, or by a recurrence that reopened it)
 * @param statusChangedBy who changed it ({@code hub} for a reopen)
 */
public record ErrorIssue(
        String id,
        String title,
        String culprit,
        ErrorLevel level,
        IssueStatus status,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        List<String> agents,
        String lastMessage,
        Instant statusChangedAt,
        String statusChangedBy) {
    public ErrorIssue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(culprit, "culprit");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        agents = agents == null ? List.of() : List.copyOf(agents);
        lastMessage = lastMessage == null ? "" : lastMessage;
        Objects.requireNonNull(statusChangedAt, "statusChangedAt");
        statusChangedBy = statusChangedBy == null ? "" : statusChangedBy;
    }
}
