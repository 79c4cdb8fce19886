package io.agenthub.errorlog;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.ops.Counters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reporting and triage of errors. Reports from agents carry the reporter from its credential; the hub reports its own
 * unexpected failures as {@code hub}. Fatal and error reports count as failures in the error rate (see
 * {@link Counters.Window#errorRate()}).
 */
public final class ErrorLogService {
    /** The reporter id of the hub's own failures. */
    public static final String HUB = "hub";

    static final int MAX_AGENTS = 100;
    static final int MAX_TITLE = 512;
    static final int MAX_MESSAGE = 8 * 1024;
    static final int MAX_STACK = 64 * 1024;
    static final int MAX_TAGS = 32;
    static final int MAX_LIST = 100;

    private final ErrorLogStore store;
    private final Counters counters;
    private final InstantSource clock;
    private final int keepEvents;
    private final Duration rateWindow;
    private volatile Consumer<ErrorReport> observer = r -> {};
    private volatile int issueQuota;

    /** What a reporter sends. Only {@code title} is required; {@code level} defaults to error. */
    public record NewError(
            String title,
            String message,
            String level,
            String culprit,
            String stackTrace,
            Map<String, String> tags,
            String fingerprint) {}

    /**
     * @param keepEvents occurrences kept per issue
     * @param rateWindow the window of the error rate in the overview
     */
    public ErrorLogService(
            ErrorLogStore store, Counters counters, InstantSource clock, int keepEvents, Duration rateWindow) {
        this.store = store;
        this.counters = counters;
        this.clock = clock;
        this.keepEvents = keepEvents;
        this.rateWindow = rateWindow;
    }

    /**
     * Sets the error issue quota: how many open (unresolved) issues one agent may have opened (reported first); 0 for
     * none. Checked only for a report with a new fingerprint, by scanning at most {@link #QUOTA_SCAN} open issues. Not
     * atomic with the report: new issues reported at the same instant may pass it together.
     */
    public ErrorLogService issueQuota(int quota) {
        this.issueQuota = Math.max(0, quota);
        return this;
    }

    /** Open issues read at most to count a reporter's against its quota. */
    static final int QUOTA_SCAN = 5000;

    private void admitIssue(String reporter, String fingerprint) {
        int quota = issueQuota;
        if (quota == 0 || store.issue(fingerprint).isPresent()) {
            return;
        }
        long opened = store.issues(IssueStatus.UNRESOLVED, null, QUOTA_SCAN).stream()
                .filter(i -> !i.agents().isEmpty() && i.agents().getFirst().equals(reporter))
                .count();
        if (opened >= quota) {
            throw HubException.Conflict.quotaExceeded(
                    "error-issue-quota",
                    quota,
                    "Agent " + reporter + " is at its error issue quota, error-issue-quota (" + quota + " open issues"
                            + " it opened). Free space by resolving or ignoring the issues it opened once they are"
                            + " dealt with (PATCH /api/errors/{id} with status resolved or ignored),"
                            + " report new occurrences under an existing fingerprint, or ask an"
                            + " admin to raise the quota.");
        }
    }

    /** Sees every stored report (for the trace); must not throw. */
    public void observe(Consumer<ErrorReport> observer) {
        this.observer = observer;
    }

    /**
     * Records an error reported by the caller; returns its issue. Viewers may not report. How many reports an agent
     * may send is the {@code rate-limit-errors} bucket's business, checked before this is called (REST and MCP alike).
     */
    public ErrorLogStore.Recorded report(Principal caller, NewError e) {
        caller.requireWriter();
        if (e == null) {
            throw new HubException.InvalidRequest("An error report needs a body with at least a title.");
        }
        String title = Require.text("title", e.title(), MAX_TITLE).strip();
        String message = Require.optional("message", e.message(), MAX_MESSAGE);
        String culprit = Require.optional("culprit", e.culprit(), MAX_TITLE);
        String stack = Require.optional("stackTrace", e.stackTrace(), MAX_STACK);
        ErrorLevel level = ErrorLevel.parse("level", e.level(), ErrorLevel.ERROR);
        Map<String, String> tags = e.tags() == null ? Map.of() : e.tags();
        if (tags.size() > MAX_TAGS) {
            throw new HubException.TooLarge(
                    "tags has " + tags.size() + " entries; the limit is " + MAX_TAGS + ".", Map.of("field", "tags"));
        }
        tags.forEach((k, v) -> {
            Require.text("tag name", k, 64);
            Require.optional("tag " + k, v, 256);
        });
        String fingerprint = e.fingerprint() == null || e.fingerprint().isBlank()
                ? Fingerprint.of(title, culprit, stack)
                : Require.id("fingerprint", e.fingerprint());
        String reporter = caller.isAdmin() ? Principal.ADMIN_ID : caller.id();
        if (!caller.isAdmin()) {
            admitIssue(reporter, fingerprint);
        }
        return record(
                new ErrorReport(reporter, clock.instant(), level, fingerprint, title, message, culprit, stack, tags));
    }

    /**
     * Records one of the hub's own failures (an unexpected exception while serving {@code culprit}). Never throws: if
     * the store cannot take it, the failure has been logged already and nothing more can be done.
     */
    public void reportInternal(String culprit, Throwable failure) {
        try {
            String title = failure.getClass().getSimpleName() + ": " + String.valueOf(failure.getMessage());
            String stack = stackTrace(failure);
            String clipped = title.length() > MAX_TITLE ? title.substring(0, MAX_TITLE) : title;
            record(new ErrorReport(
                    HUB,
                    clock.instant(),
                    ErrorLevel.ERROR,
                    Fingerprint.of(failure.getClass().getName(), culprit, stack),
                    clipped,
                    clipped,
                    culprit,
                    stack.length() > MAX_STACK ? stack.substring(0, MAX_STACK) : stack,
                    Map.of()));
        } catch (RuntimeException ignored) {
            // The original failure is logged by the caller; a store that is down cannot record it.
        }
    }

    /**
     * Records a failure the hub itself observed in the agents' work (not an exception of its own), e.g. a task that
     * ran out of attempts. Never throws, as {@link #reportInternal}.
     */
    public void reportObserved(String title, String message, String culprit, Map<String, String> tags) {
        try {
            String clipped = title.length() > MAX_TITLE ? title.substring(0, MAX_TITLE) : title;
            String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
            record(new ErrorReport(
                    HUB,
                    clock.instant(),
                    ErrorLevel.ERROR,
                    Fingerprint.of(clipped, culprit, ""),
                    clipped,
                    text,
                    culprit,
                    "",
                    tags));
        } catch (RuntimeException ignored) {
            // The change that caused the report is stored; a store that is down cannot take the report.
        }
    }

    private ErrorLogStore.Recorded record(ErrorReport report) {
        ErrorLogStore.Recorded recorded = store.record(report, keepEvents, MAX_AGENTS);
        if (report.level().isFailure()) {
            counters.increment(Counters.REPORTED_FAILURES);
            if (!report.agentId().equals(HUB)) {
                counters.increment(Counters.reportedBy(report.agentId()));
            }
        }
        observer.accept(report);
        return recorded;
    }

    /** Issues, most recently seen first. */
    public List<ErrorIssue> issues(IssueStatus status, ErrorLevel atLeast, Integer limit) {
        return store.issues(status, atLeast, limit(limit));
    }

    public ErrorIssue issue(String id) {
        return store.issue(Require.id("issueId", id)).orElseThrow(() -> notFound(id));
    }

    /** An issue's kept occurrences, newest first. */
    public List<ErrorEvent> events(String issueId, Integer limit) {
        issue(issueId);
        return store.events(issueId, limit(limit));
    }

    /** Triage: sets an issue's status. Agents and admins may; viewers may not. */
    public ErrorIssue setStatus(Principal caller, String issueId, IssueStatus status) {
        caller.requireWriter();
        if (status == null) {
            throw new HubException.InvalidRequest("status is required: unresolved, resolved or ignored.");
        }
        return store.setStatus(Require.id("issueId", issueId), status, caller.id(), clock.instant())
                .orElseThrow(() -> notFound(issueId));
    }

    /** The guide's quick reference: unresolved issues, counts by level, the last 24 hours, and the error rate. */
    public ErrorOverview overview() {
        Instant now = clock.instant();
        Instant dayAgo = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        Map<ErrorLevel, Long> byLevel = new EnumMap<>(ErrorLevel.class);
        for (ErrorLevel l : ErrorLevel.values()) {
            byLevel.put(l, 0L);
        }
        Map<Instant, Long> perHour = new TreeMap<>();
        for (int h = 0; h < 24; h++) {
            perHour.put(dayAgo.plus(Duration.ofHours(h)), 0L);
        }
        long total = 0;
        for (HourlyCount c : store.hourly(dayAgo)) {
            byLevel.merge(c.level(), c.count(), Long::sum);
            perHour.merge(c.hour(), c.count(), Long::sum);
            total += c.count();
        }
        List<ErrorOverview.Hour> hours = new ArrayList<>();
        perHour.forEach((hour, n) -> hours.add(new ErrorOverview.Hour(hour, n)));
        List<ErrorIssue> unresolved = store.issues(IssueStatus.UNRESOLVED, null, 20);
        long critical =
                store.issues(IssueStatus.UNRESOLVED, ErrorLevel.ERROR, MAX_LIST).size();
        return new ErrorOverview(
                store.count(IssueStatus.UNRESOLVED),
                critical,
                unresolved,
                byLevel,
                total,
                hours,
                ErrorOverview.Rate.of(counters.window(rateWindow)),
                now);
    }

    /** Forgets hourly counts older than {@code keep}. */
    public int purge(Duration keep) {
        return store.purgeHourlyBefore(clock.instant().minus(keep).truncatedTo(ChronoUnit.HOURS));
    }

    private static int limit(Integer limit) {
        return limit == null ? 50 : (int) Require.range("limit", limit, 1, MAX_LIST);
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static HubException notFound(String id) {
        return new HubException.NotFound("No error issue " + id + ". List them with GET /api/errors?action=issues.");
    }
}
