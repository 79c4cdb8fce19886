package io.agenthub.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ratelimit.LocalHolds;
import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimitStore;
import io.agenthub.ratelimit.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LlmThrottlingTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T10:00:00Z"));
    private final List<String> notices = new ArrayList<>();
    /** Two nodes' rules on one shared bucket store, as two hub nodes on one Redis. */
    private final RateLimitStore shared = new MemoryBuckets();

    private LlmThrottling rule() {
        return new LlmThrottling(
                shared, new Rate(6, 3), Duration.ofSeconds(20), Duration.ofSeconds(60), now::get, notices::add);
    }

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void reports_within_the_rate_change_nothing() {
        LlmThrottling rule = rule();
        for (int i = 0; i < 3; i++) {
            rule.report("a", 429);
        }
        assertThat(rule.backOff()).isEmpty();
        // Six a minute: one every twelve seconds keeps the bucket from running dry.
        for (int i = 0; i < 20; i++) {
            advance(Duration.ofSeconds(12));
            rule.report("a", 529);
        }
        assertThat(rule.backOff()).isEmpty();
        assertThat(notices).isEmpty();
    }

    @Test
    void past_the_rate_the_fleet_backs_off_and_recovers_a_hold_after_the_reports_stop() {
        LlmThrottling node1 = rule();
        LlmThrottling node2 = rule();
        node1.report("a", 429);
        node2.report("b", 429);
        node1.report("a", 529);
        assertThat(node1.backOff()).isEmpty();
        node2.report("b", 429);
        assertThat(node2.backOff())
                .as("the fourth report at once on either node")
                .contains(Duration.ofSeconds(20));
        assertThat(notices).singleElement().asString().contains("LLM throttling past 6", "slow_down", "20 s");
        advance(Duration.ofSeconds(1));
        assertThat(node1.backOff())
                .as("the other node, which read no back-off a moment ago, sees it within a second")
                .contains(Duration.ofSeconds(20));
        assertThat(node1.state().reportsPastRate()).isEqualTo(1);
        LlmThrottling.State s = node2.state();
        assertThat(s.backingOff()).isTrue();
        assertThat(s.until()).isEqualTo(now.get().plusSeconds(59));
        assertThat(s.reason()).contains("429/529", "wait 20 s");

        // Reports keep coming past the rate: the hold extends from each.
        advance(Duration.ofSeconds(50));
        for (int i = 0; i < 5; i++) {
            node2.report("b", 429);
        }
        node1.report("a", 429);
        advance(Duration.ofSeconds(50));
        assertThat(node2.backOff()).isPresent();
        assertThat(node1.state().reportsPastRate())
                .as("reports past the rate on both nodes count together (the refilled burst of 3 took the first)")
                .isEqualTo(4);
        assertThat(notices).hasSize(1);

        // They stop: a hold after the last one, the back-off ends by itself, announced once.
        advance(Duration.ofSeconds(10));
        assertThat(node2.backOff()).isEmpty();
        assertThat(node1.backOff()).isEmpty();
        assertThat(node2.backOff()).isEmpty();
        assertThat(notices).as("the end is announced by one node").hasSize(2);
        assertThat(notices.get(1)).contains("back-off is over");
    }

    @Test
    void other_statuses_and_a_rule_switched_off_count_nothing() {
        LlmThrottling rule = rule();
        for (int i = 0; i < 10; i++) {
            rule.report("a", 500);
            LlmThrottling.OFF.report("a", 429);
        }
        assertThat(rule.backOff()).isEmpty();
        assertThat(LlmThrottling.OFF.backOff()).isEmpty();
    }

    @Test
    void an_unreachable_store_never_fails_the_report() {
        LlmThrottling rule = new LlmThrottling(
                new MemoryBuckets() {
                    @Override
                    public synchronized Duration take(String key, Rate rate, Instant at) {
                        throw new IllegalStateException("down");
                    }
                },
                new Rate(6, 3),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                now::get,
                notices::add);
        rule.report("a", 429);
        assertThat(rule.backOff()).isEmpty();
    }

    @Test
    void error_reports_name_throttling_by_tag_or_text() {
        assertThat(LlmThrottling.statusOf("model call failed", "", Map.of("status", "529")))
                .isEqualTo(OptionalInt.of(529));
        assertThat(LlmThrottling.statusOf("Anthropic API: 429 Too Many Requests", null, Map.of()))
                .isEqualTo(OptionalInt.of(429));
        assertThat(LlmThrottling.statusOf("overloaded_error", "Overloaded", Map.of()))
                .isEqualTo(OptionalInt.of(529));
        assertThat(LlmThrottling.statusOf("rate_limit_error", "", Map.of())).isEqualTo(OptionalInt.of(429));
        assertThat(LlmThrottling.statusOf("NullPointerException in parser", "line 4290", Map.of("status", "500")))
                .isEmpty();
    }

    /** The in-memory token buckets of one store shared by the rules above. */
    private static class MemoryBuckets extends LocalHolds {
        private final Map<String, TokenBucket> buckets = new HashMap<>();

        @Override
        public synchronized Duration take(String key, Rate rate, Instant at) {
            long ms = at.toEpochMilli();
            TokenBucket b =
                    buckets.getOrDefault(key, TokenBucket.full(rate, ms)).refilled(rate, ms);
            if (!b.hasToken()) {
                buckets.put(key, b);
                return Duration.ofMillis(b.waitMillis(rate));
            }
            buckets.put(key, b.minusOne());
            return Duration.ZERO;
        }
    }
}
