package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.Halt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The budget contract: each alert once per day, scope and level; halts hold until acknowledged, once. */
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
}
