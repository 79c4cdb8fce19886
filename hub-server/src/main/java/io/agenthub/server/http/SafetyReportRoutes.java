package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.server.ops.SafetyReport;
import java.time.Duration;
import java.util.Map;

/** {@code GET /api/audit/safety-report?since=24h} (admin): the period's security events, tokens, privileges. */
public final class SafetyReportRoutes {
    /** The longest period a report covers; security events are kept for {@code security-event-retention} anyway. */
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    private final SafetyReport reports;

    public SafetyReportRoutes(SafetyReport reports) {
        this.reports = reports;
    }

    public void register(Router r) {
        r.get("/api/audit/safety-report", Access.ADMIN, call -> Reply.ok(reports.report(period(call.query("since")))));
    }

    /** {@code since} as a period of one minute to 366 days; 24 hours if absent. */
    static Duration period(String since) {
        if (since == null || since.isBlank()) {
            return Duration.ofHours(24);
        }
        Duration d = SafetyReport.period(since).orElse(Duration.ZERO);
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(MAX_PERIOD) > 0) {
            throw new HubException.InvalidRequest(
                    "since must be a period from 1m to 366d such as 30m, 24h or 7d; got '" + since + "'.",
                    Map.of("field", "since"));
        }
        return d;
    }
}
