package io.agenthub.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /api/errors}: errors reported by agents, grouped into issues by fingerprint. */
public final class Errors {
    private final Transport t;

    /** An error to report; {@code level} is {@code debug}, {@code info}, {@code warning}, {@code error} or {@code fatal}. */
    public record NewError(
            String title,
            String message,
            String level,
            String culprit,
            String stackTrace,
            Map<String, String> tags,
            String fingerprint) {}

    public record Issue(
            String id,
            String title,
            String culprit,
            String level,
            String status,
            long count,
            Instant firstSeen,
            Instant lastSeen,
            List<String> agents,
            String lastMessage,
            Instant statusChangedAt,
            String statusChangedBy) {}

    /** A report's issue, and whether it was new or reopened. */
    public record Recorded(Issue issue, boolean created, boolean reopened) {}

    record Status(String status) {}

    record IssueList(List<Issue> issues) {}

    Errors(Transport t) {
        this.t = t;
    }

    public Recorded report(NewError error) {
        return t.post("/api/errors", error, Recorded.class);
    }

    /** Unresolved counts, the worst issues and the rate. */
    public JsonNode overview() {
        return t.get("/api/errors", JsonNode.class);
    }

    /** Issues by status ({@code unresolved}, {@code resolved}, {@code ignored}) and level; null: any. */
    public List<Issue> issues(String status, String level, Integer limit) {
        return t.get(
                        Transport.query(
                                "/api/errors", "action", "issues", "status", status, "level", level, "limit", limit),
                        IssueList.class)
                .issues();
    }

    /** One issue with its latest occurrences. */
    public JsonNode issue(String issueId) {
        return t.get(Transport.query("/api/errors", "action", "issue", "issueId", issueId), JsonNode.class);
    }

    /** The occurrences of an issue. */
    public JsonNode events(String issueId, Integer limit) {
        return t.get(
                Transport.query("/api/errors", "action", "events", "issueId", issueId, "limit", limit), JsonNode.class);
    }

    /** Sets an issue's status ({@code unresolved}, {@code resolved} or {@code ignored}). */
    public Issue setStatus(String issueId, String status) {
        return t.call("PATCH", "/api/errors/" + Transport.segment(issueId), new Status(status), t.requestTimeout())
                .as(Issue.class);
    }
}
