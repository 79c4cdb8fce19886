package io.agenthub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The guide's dashboard table, boundaries included. */
class ThresholdTest {
    private final StatusService.Thresholds guide = StatusService.Thresholds.guide();

    @Test
    void agent_count_good_at_two_warning_at_one_critical_at_zero() {
        assertThat(guide.agentCount().classify(3.0)).isEqualTo(Threshold.Level.GOOD);
        assertThat(guide.agentCount().classify(2.0)).isEqualTo(Threshold.Level.GOOD);
        assertThat(guide.agentCount().classify(1.0)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.agentCount().classify(0.0)).isEqualTo(Threshold.Level.CRITICAL);
    }

    @Test
    void lower_is_better_metrics_are_good_below_warning_up_to_and_critical_above() {
        assertThat(guide.errorRate().classify(0.009)).isEqualTo(Threshold.Level.GOOD);
        assertThat(guide.errorRate().classify(0.01)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.errorRate().classify(0.05)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.errorRate().classify(0.051)).isEqualTo(Threshold.Level.CRITICAL);
        assertThat(guide.avgResponseSeconds().classify(4.9)).isEqualTo(Threshold.Level.GOOD);
        assertThat(guide.avgResponseSeconds().classify(15.0)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.avgResponseSeconds().classify(15.1)).isEqualTo(Threshold.Level.CRITICAL);
        assertThat(guide.conflictRate().classify(0.1)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.conflictRate().classify(0.11)).isEqualTo(Threshold.Level.CRITICAL);
    }

    @Test
    void pass_rate_is_good_only_at_one_hundred_percent() {
        assertThat(guide.passRate().classify(1.0)).isEqualTo(Threshold.Level.GOOD);
        assertThat(guide.passRate().classify(0.99)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.passRate().classify(0.95)).isEqualTo(Threshold.Level.WARNING);
        assertThat(guide.passRate().classify(0.94)).isEqualTo(Threshold.Level.CRITICAL);
        assertThat(guide.passRate().classify(null)).isEqualTo(Threshold.Level.UNKNOWN);
    }

    @Test
    void a_warning_bound_beyond_good_is_required() {
        assertThatThrownBy(() -> Threshold.lowerIsBetter(0.05, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Threshold.higherIsBetter(1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
