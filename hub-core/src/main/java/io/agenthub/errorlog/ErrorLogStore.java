package io.agenthub.errorlog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for reported errors: issues grouped by fingerprint, each with a bounded history of occurrences, and
 * hourly counts per level. Every method is atomic. Time is passed in.
 */
public interface ErrorLogStore {
    /** The result of {@link #record}: the issue after the change, and whether this report created or reopened it. */
    record Recorded(ErrorIssue issue, boolean created, boolean reopened) {}

    /**
     * Records one occurrence, in one atomic operation (concurrent reports never lose a count):
     *
     * <ul>
     *   <li>if no issue has id {@code report.fingerprint()}, creates it: unresolved, count 1, first and last seen
     *       {@code report.at()}, title, culprit and level from the report, {@code statusChangedAt = report.at()},
     *       {@code statusChangedBy = ""};
     *   <li>otherwise adds one to its count, sets {@code lastSeen = max(lastSeen, at)}, raises its level if the report
     *       is more severe, and if it was resolved sets it unresolved ({@code statusChangedBy = "hub"}); an ignored
     *       issue stays ignored;
     *   <li>adds the reporter to {@code agents} unless present or already {@code maxAgents} long; sets
     *       {@code lastMessage};
     *   <li>appends the report to the issue's events with the next sequence number, then deletes all but the newest
     *       {@code keepEvents} events of that issue;
     *   <li>adds one to the hourly count of ({@code at} truncated to the hour, level).
     * </ul>
     */
    Recorded record(ErrorReport report, int keepEvents, int maxAgents);

    /** The issue with this id (fingerprint). */
    Optional<ErrorIssue> issue(String id);

    /**
     * Issues, most recently seen first, at most {@code limit}.
     *
     * @param status keep only this status; null for all
     * @param atLeast keep only issues whose level is this or more severe; null for all
     */
    List<ErrorIssue> issues(IssueStatus status, ErrorLevel atLeast, int limit);

    /** How many issues have this status. */
    long count(IssueStatus status);

    /** The kept occurrences of an issue, newest first, at most {@code limit}; empty for an unknown issue. */
    List<ErrorEvent> events(String issueId, int limit);

    /**
     * Sets an issue's status, recording who and when (a no-op change still updates them); empty if there is no such
     * issue.
     */
    Optional<ErrorIssue> setStatus(String issueId, IssueStatus status, String by, Instant at);

    /** Hourly counts of hours starting at or after {@code from}, oldest first. Hours without reports are absent. */
    List<HourlyCount> hourly(Instant from);

    /** Deletes hourly counts of hours that started before {@code before}; returns how many rows were deleted. */
    int purgeHourlyBefore(Instant before);
}
