package io.agenthub.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Prices, context thresholds, budget levels and routing: the rules behind the directives. */
class PoliciesTest {
    @Test
    void the_longest_matching_price_wins_and_costs_are_exact() {
        PriceTable prices = PriceTable.defaults();
        assertThat(prices.priceOf("claude-opus-4-1-20250805").orElseThrow().match())
                .isEqualTo("opus-4-1");
        assertThat(prices.priceOf("claude-opus-4-20250514").orElseThrow().match())
                .isEqualTo("opus-4-2025");
        assertThat(prices.priceOf("claude-opus-4-5").orElseThrow().match()).isEqualTo("opus");
        assertThat(prices.priceOf("claude-3-5-haiku-20241022").orElseThrow().match())
                .isEqualTo("3-5-haiku");
        assertThat(prices.priceOf("Claude-Haiku-4-5").orElseThrow().match()).isEqualTo("haiku");
        assertThat(prices.priceOf("some-other-model").orElseThrow().match()).isEqualTo("*");
        assertThat(PriceTable.parse("haiku=1/5/0.1/1.25").priceOf("gpt-9")).isEmpty();

        ModelPrice sonnet = prices.priceOf("claude-sonnet-4-5").orElseThrow();
        // 1000 x $3/M + 200 x $15/M + 5000 x $0.30/M + 100 x $3.75/M = $0.007875
        assertThat(sonnet.cost(new ModelCall("claude-sonnet-4-5", 1000, 200, 5000, 100, null)))
                .isEqualTo(7_875_000L);
        assertThat(sonnet.describe()).isEqualTo("sonnet=3/15/0.3/3.75");
        assertThatThrownBy(() -> PriceTable.parse("haiku=1/5/0.1")).hasMessageContaining("haiku=1/5/0.1");
        assertThatThrownBy(() -> PriceTable.parse("haiku=1/5/0.1/0.0001")).hasMessageContaining("three decimals");
        assertThatThrownBy(() -> PriceTable.parse(" , ")).hasMessageContaining("empty");
    }

    @Test
    void money_is_shown_as_dollars() {
        assertThat(Usd.text(1_234_560_000_000L)).isEqualTo("$1,234.56");
        assertThat(Usd.text(7_875_000L)).isEqualTo("$0.007875");
        assertThat(Usd.text(0)).isEqualTo("$0.00");
        assertThat(Usd.dollars(2_500_000_000L).toPlainString()).isEqualTo("2.500000");
        assertThat(Usd.parse("12.5")).isEqualTo(12_500_000_000L);
        assertThatThrownBy(() -> Usd.parse("-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agent_context_limits_beat_model_limits_which_beat_the_base() {
        ContextPolicy p = ContextPolicy.parse(150_000, 180_000, "opus=100000/120000,agent:small=1000/2000");
        assertThat(p.limitsFor("small", "claude-opus-4-5")).isEqualTo(new ContextPolicy.Limits(1000, 2000));
        assertThat(p.limitsFor("big", "claude-opus-4-5")).isEqualTo(new ContextPolicy.Limits(100_000, 120_000));
        assertThat(p.limitsFor("big", "claude-haiku-4-5")).isEqualTo(new ContextPolicy.Limits(150_000, 180_000));
        assertThatThrownBy(() -> ContextPolicy.parse(1, 2, "opus=3")).hasMessageContaining("opus=3");
        assertThatThrownBy(() -> ContextPolicy.parse(200, 100, "")).hasMessageContaining("warn <= transfer");
    }

    @Test
    void budget_levels_follow_the_guides_thresholds() {
        BudgetPolicy p = BudgetPolicy.defaults();
        assertThat(p.levelOf(99_999_999_999L)).isEqualTo(BudgetLevel.NORMAL);
        assertThat(p.levelOf(100 * Usd.NANOS)).isEqualTo(BudgetLevel.INFO);
        assertThat(p.levelOf(250 * Usd.NANOS)).isEqualTo(BudgetLevel.WARN);
        assertThat(p.levelOf(500 * Usd.NANOS)).isEqualTo(BudgetLevel.THROTTLE);
        assertThat(p.levelOf(1000 * Usd.NANOS)).isEqualTo(BudgetLevel.HALT);
        assertThat(p.budgetOf("anyone")).isNull();
        BudgetPolicy custom = new BudgetPolicy(
                1, 2, 3, 4, Duration.ofSeconds(5), Set.of("lead"), Set.of("ops"), 10L, Map.of("dev", 20L));
        assertThat(custom.budgetOf("dev")).isEqualTo(20L);
        assertThat(custom.budgetOf("other")).isEqualTo(10L);
        assertThat(custom.essential("lead", "")).isTrue();
        assertThat(custom.essential("x", "ops")).isTrue();
        assertThat(custom.essential("x", "web")).isFalse();
        assertThatThrownBy(
                        () -> new BudgetPolicy(5, 2, 3, 4, Duration.ofSeconds(1), Set.of(), Set.of(), null, Map.of()))
                .hasMessageContaining("info <= warn");
    }

    @Test
    void routing_sends_simple_work_to_haiku_complex_to_opus_and_downgrades_while_throttled() {
        RoutingPolicy r = RoutingPolicy.defaults();
        PriceTable prices = PriceTable.defaults();
        assertThat(r.advise(Complexity.SIMPLE, BudgetLevel.NORMAL, prices).model())
                .isEqualTo("claude-haiku-4-5");
        assertThat(r.advise(Complexity.COMPLEX, BudgetLevel.NORMAL, prices).model())
                .isEqualTo("claude-opus-4-5");
        assertThat(r.advise(Complexity.MODERATE, BudgetLevel.NORMAL, prices).model())
                .isEqualTo("claude-sonnet-4-5");
        RoutingAdvice throttled = r.advise(Complexity.MODERATE, BudgetLevel.THROTTLE, prices);
        assertThat(throttled.model()).isEqualTo("claude-haiku-4-5");
        assertThat(throttled.reason()).contains("throttle");
        assertThat(r.advise(Complexity.COMPLEX, BudgetLevel.HALT, prices).reason())
                .contains("no model calls");
        assertThat(r.table(BudgetLevel.NORMAL, prices)).hasSize(3);
        assertThat(Complexity.parse("High")).isEqualTo(Complexity.COMPLEX);
        assertThatThrownBy(() -> RoutingPolicy.parse("simple=a,complex=b")).hasMessageContaining("moderate");
    }
}
