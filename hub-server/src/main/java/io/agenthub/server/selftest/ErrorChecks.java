package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.require;
import static io.agenthub.server.selftest.OpsTraffic.error;

import io.agenthub.auth.Principal;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.errorlog.ErrorOverview;
import io.agenthub.errorlog.IssueStatus;
import io.agenthub.ops.Counters;
import java.util.List;

/** The errors tool: grouping by fingerprint, resolve and reopen, bounded history, the overview. */
final class ErrorChecks {
    private ErrorChecks() {}

    static List<Check> all() {
        return List.of(
                of("errors-report-group", "errors", "reports with one fingerprint group into one issue", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    ErrorLogStore.Recorded r1 = s.hub.errors.report(a, error("Timeout after 5023 ms", "error"));
                    ErrorLogStore.Recorded r2 = s.hub.errors.report(b, error("Timeout after 5100 ms", "warning"));
                    equal(r2.issue().id(), r1.issue().id(), "the issue of the second report");
                    equal(r2.issue().count(), 2L, "the count");
                    equal(r2.issue().agents(), List.of("a1", "b1"), "affected agents");
                    equal(r2.issue().level(), ErrorLevel.ERROR, "the worst level");
                    return "2 reports, 1 issue " + r1.issue().id() + " affecting a1 and b1";
                }),
                of("errors-resolve-reopen", "errors", "a resolved issue reopens when it recurs", s -> {
                    Principal a = s.agent("a1");
                    String id = s.hub.errors
                            .report(a, error("Disk full", "fatal"))
                            .issue()
                            .id();
                    s.hub.errors.setStatus(s.admin, id, IssueStatus.RESOLVED);
                    ErrorLogStore.Recorded again = s.hub.errors.report(a, error("Disk full", "fatal"));
                    require(again.reopened(), "a reopen");
                    equal(again.issue().status(), IssueStatus.UNRESOLVED, "the status");
                    return "resolved, recurred, reopened";
                }),
                of("errors-history-bounded", "errors", "an issue keeps only its newest occurrences", s -> {
                    Principal a = s.agent("a1");
                    String id = null;
                    for (int i = 0; i < 105; i++) {
                        id = s.hub.errors
                                .report(a, error("Loop", "info"))
                                .issue()
                                .id();
                    }
                    equal(s.hub.errors.issue(id).count(), 105L, "the count");
                    equal(s.hub.errors.events(id, 100).size(), 100, "kept occurrences");
                    return "105 reports counted, the newest 100 kept";
                }),
                of("errors-overview", "errors", "the overview counts issues, levels and the error rate", s -> {
                    Principal a = s.agent("a1");
                    s.hub.counters.add(Counters.REQUESTS, 50);
                    s.hub.errors.report(a, error("Crash", "error"));
                    s.hub.errors.report(a, error("Slow", "warning"));
                    ErrorOverview o = s.hub.errors.overview();
                    equal(o.unresolvedCount(), 2L, "unresolved issues");
                    equal(o.last24hByLevel().get(ErrorLevel.ERROR), 1L, "errors in 24 h");
                    equal(o.last24hByLevel().get(ErrorLevel.WARNING), 1L, "warnings in 24 h");
                    equal(o.errorRate().reportedFailures(), 1L, "reported failures in the window");
                    equal(o.errorRate().rate(), 1.0 / 50, "the error rate");
                    return "2 unresolved, rate " + o.errorRate().rate();
                }));
    }
}
