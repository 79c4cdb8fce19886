package io.agenthub.errorlog;

import io.agenthub.ops.Counters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The errors quick reference.
 *
 * @param unresolvedCount unresolved issues
 * @param critical unresolved issues of level fatal or error (at most 100 counted)
 * @param unresolved the 20 most recently seen unresolved issues
 * @param last24hByLevel reports per level in the last 24 hours (the current hour and the 23 before it)
 * @param hourly reports per hour over the same 24 hours, oldest first
 * @param errorRate the rolling error rate
 */
public record ErrorOverview(
        long unresolvedCount,
        long critical,
        List<ErrorIssue> unresolved,
        Map<ErrorLevel, Long> last24hByLevel,
        long last24hTotal,
        List<Hour> hourly,
        Rate errorRate,
        Instant generatedAt) {
    /** Reports in the hour starting at {@code hour}. */
    public record Hour(Instant hour, long count) {}

    /**
     * The error rate over a rolling window: {@code (serverErrors + reportedFailures) / max(1, operations)}, capped at 1.
     *
     * @param windowSeconds the window length
     * @param operations API requests answered in the window
     * @param serverErrors those answered with 5xx (degradation refusals excluded)
     * @param reportedFailures error reports of level fatal or error in the window
     */
    public record Rate(long windowSeconds, long operations, long serverErrors, long reportedFailures, double rate) {
        public static Rate of(Counters.Window w) {
            Duration d = w.length();
            return new Rate(
                    d.toSeconds(),
                    w.get(Counters.REQUESTS),
                    w.get(Counters.SERVER_ERRORS),
                    w.get(Counters.REPORTED_FAILURES),
                    w.errorRate());
        }
    }
}
