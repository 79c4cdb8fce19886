package io.agenthub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error rate as rules weigh it: one reporter adds at most a third of the threshold. */
class CountersWindowTest {

    private static Counters.Window window(long requests, long serverErrors, Map<String, Long> byReporter) {
        Map<String, Long> totals = new HashMap<>();
        totals.put(Counters.REQUESTS, requests);
        totals.put(Counters.SERVER_ERRORS, serverErrors);
        totals.put(
                Counters.REPORTED_FAILURES,
                byReporter.values().stream().mapToLong(Long::longValue).sum());
        byReporter.forEach((who, n) -> totals.put(Counters.reportedBy(who), n));
        return new Counters.Window(Duration.ofMinutes(5), totals);
    }

    @Test
    void one_reporter_flooding_stays_under_a_third_of_the_threshold_while_the_raw_rate_shows_the_flood() {
        Counters.Window w = window(1000, 0, Map.of("looper", 600L));
        assertThat(w.errorRate()).isEqualTo(0.6);
        assertThat(w.weighedErrorRate(0.25)).isCloseTo(0.25 / 3, within(1e-9));
        assertThat(w.weighedErrorRate(0.05)).isCloseTo(0.05 / 3, within(1e-9));
    }

    @Test
    void many_reporters_failing_together_cross_the_threshold() {
        Map<String, Long> fleet = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            fleet.put("agent-" + i, 100L);
        }
        assertThat(window(1000, 0, fleet).weighedErrorRate(0.25)).isGreaterThan(0.25);
    }

    @Test
    void server_errors_and_unattributed_failures_count_in_full() {
        Counters.Window w = new Counters.Window(
                Duration.ofMinutes(5),
                Map.of(Counters.REQUESTS, 100L, Counters.SERVER_ERRORS, 30L, Counters.REPORTED_FAILURES, 10L));
        assertThat(w.weighedErrorRate(0.25)).isEqualTo(0.4);
    }

    @Test
    void a_single_failure_in_a_quiet_window_counts_as_one() {
        assertThat(window(20, 0, Map.of("solo", 1L)).weighedFailures(0.05)).isEqualTo(1.0);
    }
}
