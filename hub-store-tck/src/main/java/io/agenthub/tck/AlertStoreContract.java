package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.alert.AlertStore;
import io.agenthub.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The alert contract: versioned compare-and-set transitions that append their event in the same operation. */
public abstract class AlertStoreContract extends StoresContract {
    private AlertStore alerts() {
        return stores.alerts();
    }

    private AlertState state(String rule, AlertState.Status status, Double value) {
        return new AlertState(rule, status, Severity.WARNING, clock.instant(), value, "summary " + status, 0);
    }

    private AlertEvent event(String rule, AlertEvent.Kind kind, Instant started) {
        return new AlertEvent(0, rule, Severity.WARNING, kind, clock.instant(), 0.07, "rate 7%", started);
    }

    @Test
    void transitions_are_versioned_and_append_their_event_atomically() throws Exception {
        assertThat(alerts().states()).isEmpty();
        AlertState pending = alerts().transition(0, state("HighErrorRate", AlertState.Status.PENDING, 0.07), null)
                .orElseThrow()
                .state();
        assertThat(pending.version()).isEqualTo(1);
        assertThat(alerts().history(10)).isEmpty();
        Instant started = clock.instant();

        clock.advance(Duration.ofMinutes(5));
        AlertStore.Recorded firing = alerts().transition(
                        1,
                        state("HighErrorRate", AlertState.Status.FIRING, 0.08),
                        event("HighErrorRate", AlertEvent.Kind.FIRING, started))
                .orElseThrow();
        assertThat(firing.state().version()).isEqualTo(2);
        assertThat(firing.event().seq()).isPositive();
        assertThat(alerts().transition(
                                1,
                                state("HighErrorRate", AlertState.Status.FIRING, 0.09),
                                event("HighErrorRate", AlertEvent.Kind.FIRING, started)))
                .as("a stale version is refused and appends nothing")
                .isEmpty();
        restart();
        AlertState stored = alerts().state("HighErrorRate").orElseThrow();
        assertThat(stored.status()).isEqualTo(AlertState.Status.FIRING);
        assertThat(stored.value()).isEqualTo(0.08);
        assertThat(stored.since()).isEqualTo(clock.instant());
        assertThat(alerts().history(10)).containsExactly(firing.event());
        assertThat(alerts().state("Other")).isEmpty();

        alerts().transition(0, state("AllAgentsDown", AlertState.Status.INACTIVE, null), null);
        assertThat(alerts().states()).extracting(AlertState::rule).containsExactly("AllAgentsDown", "HighErrorRate");
        assertThat(alerts().state("AllAgentsDown").orElseThrow().value()).isNull();
    }

    @Test
    void exactly_one_node_records_a_firing() throws Exception {
        List<Optional<AlertStore.Recorded>> results = Race.run(
                32,
                i -> alerts().transition(
                                0,
                                state("AllAgentsDown", AlertState.Status.FIRING, 0.0),
                                event("AllAgentsDown", AlertEvent.Kind.FIRING, clock.instant())));
        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
        assertThat(alerts().history(100)).hasSize(1);
    }

    @Test
    void history_is_newest_first_and_purged_by_age() {
        Instant t0 = clock.instant();
        AlertEvent a = alerts().transition(
                        0, state("A", AlertState.Status.FIRING, 1.0), event("A", AlertEvent.Kind.FIRING, t0))
                .orElseThrow()
                .event();
        clock.advance(Duration.ofHours(1));
        AlertEvent b = alerts().transition(
                        1, state("A", AlertState.Status.INACTIVE, 0.0), event("A", AlertEvent.Kind.RESOLVED, t0))
                .orElseThrow()
                .event();
        assertThat(alerts().history(10)).containsExactly(b, a);
        assertThat(alerts().purgeHistoryBefore(clock.instant())).isEqualTo(1);
        assertThat(alerts().history(10)).containsExactly(b);
    }
}
