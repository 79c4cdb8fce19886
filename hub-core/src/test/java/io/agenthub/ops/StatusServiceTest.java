package io.agenthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Presence;
import io.agenthub.alert.Severity;
import io.agenthub.auth.Role;
import io.agenthub.tier.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The status table's overall level: the worst of its rows, the firing alerts and the degradation tier. */
class StatusServiceTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final AtomicReference<Tier> tier = new AtomicReference<>(Tier.FULL);
    private final List<StatusService.FiringAlert> firing = new ArrayList<>();
    private final StatusService status = new StatusService(
            () -> List.of(online("a1"), online("a2")),
            new Counters(new NoCounters(), InstantSource.fixed(NOW)),
            Optional::empty,
            StatusService.Thresholds.guide(),
            Duration.ofMinutes(5),
            tier::get,
            () -> List.copyOf(firing),
            InstantSource.fixed(NOW));

    @Test
    void a_healthy_hub_in_tier_one_with_nothing_firing_is_good() {
        StatusService.Status st = status.status();
        assertThat(st.overall()).isEqualTo(Threshold.Level.GOOD);
        assertThat(st.overallReasons()).isEmpty();
        assertThat(st.tier()).isEqualTo(Tier.FULL);
    }

    @Test
    void a_firing_warning_alert_makes_overall_warning_and_says_so() {
        firing.add(new StatusService.FiringAlert("TokenBudgetExceeded", Severity.WARNING));
        StatusService.Status st = status.status();
        assertThat(st.overall()).isEqualTo(Threshold.Level.WARNING);
        assertThat(st.overallReasons()).containsExactly("alert TokenBudgetExceeded firing: warning");
        assertThat(st.alertsFiring())
                .extracting(StatusService.FiringAlert::name)
                .containsExactly("TokenBudgetExceeded");
    }

    @Test
    void a_firing_critical_alert_makes_overall_critical_and_an_info_alert_changes_nothing() {
        firing.add(new StatusService.FiringAlert("Notice", Severity.INFO));
        assertThat(status.status().overall()).isEqualTo(Threshold.Level.GOOD);
        firing.add(new StatusService.FiringAlert("TokenBudgetExceeded", Severity.WARNING));
        firing.add(new StatusService.FiringAlert("ErrorStorm", Severity.CRITICAL));
        StatusService.Status st = status.status();
        assertThat(st.overall()).isEqualTo(Threshold.Level.CRITICAL);
        assertThat(st.overallReasons())
                .containsExactly("alert TokenBudgetExceeded firing: warning", "alert ErrorStorm firing: critical");
    }

    @Test
    void tiers_two_and_three_make_overall_warning_and_maintenance_critical() {
        tier.set(Tier.REDUCED);
        assertThat(status.status().overall()).isEqualTo(Threshold.Level.WARNING);
        assertThat(status.status().overallReasons()).containsExactly("tier 2 (reduced): warning");
        tier.set(Tier.MINIMAL);
        assertThat(status.status().overall()).isEqualTo(Threshold.Level.WARNING);
        tier.set(Tier.MAINTENANCE);
        assertThat(status.status().overall()).isEqualTo(Threshold.Level.CRITICAL);
        assertThat(status.status().overallReasons()).containsExactly("tier 4 (maintenance): critical");
    }

    @Test
    void a_critical_row_stays_critical_whatever_the_tier_and_the_alerts() {
        StatusService lonely = new StatusService(
                List::of,
                new Counters(new NoCounters(), InstantSource.fixed(NOW)),
                Optional::empty,
                StatusService.Thresholds.guide(),
                Duration.ofMinutes(5),
                () -> Tier.REDUCED,
                () -> List.of(new StatusService.FiringAlert("SelfTestFailing", Severity.WARNING)),
                InstantSource.fixed(NOW));
        StatusService.Status st = lonely.status();
        assertThat(st.overall()).isEqualTo(Threshold.Level.CRITICAL);
        assertThat(st.overallReasons())
                .containsExactly(
                        "agentCount 0 active: critical",
                        "alert SelfTestFailing firing: warning",
                        "tier 2 (reduced): warning");
    }

    private static Agent online(String id) {
        return new Agent(id, id, Role.AGENT, List.of(), Map.of(), null, null, 0, Presence.ONLINE, NOW, NOW, NOW, null);
    }

    /** No operations counted: every rate is zero. */
    private static final class NoCounters implements CounterStore {
        @Override
        public void add(Instant bucketStart, Map<String, Long> deltas) {}

        @Override
        public Map<String, Long> sum(Instant from, Instant to) {
            return Map.of();
        }

        @Override
        public int purgeBefore(Instant before) {
            return 0;
        }
    }
}
