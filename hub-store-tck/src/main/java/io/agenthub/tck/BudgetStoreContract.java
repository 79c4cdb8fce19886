package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.Halt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The budget contract: each alert once per day, scope and level; halts hold until acknowledged, once; a throttled
 * agent is admitted at most once per interval, by the given time.
 */
public abstract class BudgetStoreContract extends StoresContract {
    private BudgetStore budgets() {
        return stores.budgets();
    }

    private BudgetAlert alert(String day, String scope, BudgetLevel level, long spend) {
        return new BudgetAlert(day, scope, level, spend, clock.instant());
    }

    @Test
    void an_alert_is_raised_once_per_day_scope_and_level() {
        assertThat(budgets().raise(alert("2026-01-01", "fleet", BudgetLevel.INFO, 100)))
                .isTrue();
        assertThat(budgets().raise(alert("2026-01-01", "fleet", BudgetLevel.INFO, 150)))
                .isFalse();
        assertThat(budgets().raise(alert("2026-01-01", "fleet", BudgetLevel.WARN, 250)))
                .isTrue();
        assertThat(budgets().raise(alert("2026-01-01", "agent:a1", BudgetLevel.INFO, 100)))
                .isTrue();
        assertThat(budgets().raise(alert("2026-01-02", "fleet", BudgetLevel.INFO, 100)))
                .isTrue();
        assertThat(budgets().alerts("2026-01-01", "2026-01-01"))
                .extracting(a -> a.scope() + "/" + a.level() + "/" + a.spendNanos())
                .containsExactlyInAnyOrder("fleet/INFO/100", "fleet/WARN/250", "agent:a1/INFO/100");
        assertThat(budgets().halts()).isEmpty();
    }

    @Test
    void of_32_concurrent_raisers_exactly_one_raises_the_alert() throws Exception {
        List<Boolean> raised = Concurrently.run(
                32, i -> () -> budgets().raise(alert("2026-01-01", "fleet", BudgetLevel.THROTTLE, 500 + i)));
        assertThat(raised).containsOnlyOnce(true);
        assertThat(budgets().alerts("2026-01-01", "2026-01-01")).hasSize(1);
    }

    @Test
    void a_halt_holds_across_restarts_until_acknowledged_and_is_not_raised_again_that_day() throws Exception {
        assertThat(budgets().raise(alert("2026-01-01", "fleet", BudgetLevel.HALT, 1000)))
                .isTrue();
        Halt halt = new Halt("fleet", "2026-01-01", 1000, clock.instant());
        restart();
        assertThat(budgets().halts()).containsExactly(halt);

        clock.advance(Duration.ofMinutes(5));
        Acknowledgement ack = budgets()
                .acknowledge("fleet", "admin", "raised the limit", clock.instant())
                .orElseThrow();
        assertThat(ack).isEqualTo(new Acknowledgement(halt, "admin", "raised the limit", clock.instant()));
        assertThat(budgets().halts()).isEmpty();
        assertThat(budgets().acknowledge("fleet", "admin", "again", clock.instant()))
                .as("nothing left to acknowledge")
                .isEmpty();

        assertThat(budgets().raise(alert("2026-01-01", "fleet", BudgetLevel.HALT, 1200)))
                .isFalse();
        assertThat(budgets().halts()).as("acknowledged for the day").isEmpty();
        assertThat(budgets().raise(alert("2026-01-02", "fleet", BudgetLevel.HALT, 1001)))
                .isTrue();
        assertThat(budgets().halts()).extracting(Halt::day).containsExactly("2026-01-02");
    }

    @Test
    void of_concurrent_acknowledgements_exactly_one_lifts_the_halt() throws Exception {
        budgets().raise(alert("2026-01-01", "agent:a1", BudgetLevel.HALT, 50));
        List<Boolean> lifted = Concurrently.run(
                16,
                i -> () -> budgets()
                        .acknowledge("agent:a1", "admin-" + i, "ok", clock.instant())
                        .isPresent());
        assertThat(lifted).containsOnlyOnce(true);
        assertThat(budgets().acknowledgements(10)).hasSize(1);
    }

    @Test
    void acknowledgements_are_listed_newest_first() {
        budgets().raise(alert("2026-01-01", "agent:a1", BudgetLevel.HALT, 50));
        budgets().raise(alert("2026-01-01", "agent:a2", BudgetLevel.HALT, 60));
        budgets().acknowledge("agent:a1", "admin", "first", clock.instant());
        clock.advance(Duration.ofSeconds(1));
        budgets().acknowledge("agent:a2", "admin", "second", clock.instant());
        assertThat(budgets().acknowledgements(10))
                .extracting(Acknowledgement::note)
                .containsExactly("second", "first");
        assertThat(budgets().acknowledgements(1))
                .extracting(Acknowledgement::note)
                .containsExactly("second");
    }

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void a_throttled_agent_is_admitted_once_per_interval_by_the_given_clock() throws Exception {
        Instant first = clock.instant();
        assertThat(budgets().admit("a1", INTERVAL, first)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(budgets().admit("a1", INTERVAL, clock.instant())).contains(first.plus(INTERVAL));
        restart();
        clock.advance(Duration.ofMillis(19_999));
        assertThat(budgets().admit("a1", INTERVAL, clock.instant()))
                .as("refusals record nothing; the first admission still counts after a restart")
                .contains(first.plus(INTERVAL));
        clock.advance(Duration.ofMillis(1));
        assertThat(budgets().admit("a1", INTERVAL, clock.instant())).isEmpty();
        assertThat(budgets().admit("a1", INTERVAL, clock.instant()))
                .contains(clock.instant().plus(INTERVAL));
    }

    @Test
    void agents_are_throttled_apart() {
        assertThat(budgets().admit("a1", INTERVAL, clock.instant())).isEmpty();
        assertThat(budgets().admit("a2", INTERVAL, clock.instant())).isEmpty();
        assertThat(budgets().admit("a1", INTERVAL, clock.instant())).isPresent();
        assertThat(budgets().admit("a2", INTERVAL, clock.instant())).isPresent();
    }

    @Test
    void an_admission_slightly_ahead_of_the_clock_counts_and_one_an_interval_ahead_does_not() {
        Instant ahead = clock.instant().plusSeconds(2);
        assertThat(budgets().admit("a1", INTERVAL, ahead)).isEmpty();
        assertThat(budgets().admit("a1", INTERVAL, clock.instant()))
                .as("another node's clock was two seconds ahead")
                .contains(ahead.plus(INTERVAL));
        assertThat(budgets().admit("a1", INTERVAL, ahead.minus(INTERVAL)))
                .as("a clock set back by a whole interval")
                .isEmpty();
    }

    @Test
    void of_64_concurrent_admissions_exactly_one_goes_through_in_each_interval() throws Exception {
        for (int round = 0; round < 3; round++) {
            Instant now = clock.instant();
            List<Optional<Instant>> results =
                    Concurrently.run(64, i -> () -> budgets().admit("a1", INTERVAL, now.plusMillis(i % 8)));
            assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
            Instant admitted = now.plusMillis(results.indexOf(Optional.<Instant>empty()) % 8);
            assertThat(results)
                    .filteredOn(Optional::isPresent)
                    .as("everyone else is told when the next admission is allowed")
                    .containsOnly(Optional.of(admitted.plus(INTERVAL)));
            clock.advance(INTERVAL.plusMillis(8));
        }
    }
}
