package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimitStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate limiter's token buckets: burst, refill, independence of keys, atomic takes, clocks set back. */
public abstract class RateLimitStoreContract extends StoresContract {
    private static final Rate SIXTY = new Rate(60, 5); // one token a second, five at once

    private RateLimitStore buckets() {
        return stores.rateLimits();
    }

    private Duration take(String key) {
        return buckets().take(key, SIXTY, clock.instant());
    }

    @Test
    void a_new_bucket_grants_its_burst_and_then_says_how_long_to_wait() {
        for (int i = 0; i < 5; i++) {
            assertThat(take("a:alice")).isZero();
        }
        Duration wait = take("a:alice");
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_bucket_refills_at_its_rate_and_never_above_its_burst() {
        for (int i = 0; i < 5; i++) {
            take("a:alice");
        }
        clock.advance(Duration.ofMillis(1_000));
        assertThat(take("a:alice")).isZero();
        assertThat(take("a:alice")).isPositive();
        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 5; i++) {
            assertThat(take("a:alice")).as("take %d after a long pause", i).isZero();
        }
        assertThat(take("a:alice")).isPositive();
    }

    @Test
    void the_wait_shrinks_as_time_passes_and_a_refused_take_costs_nothing() {
        for (int i = 0; i < 5; i++) {
            take("a:alice");
        }
        Duration first = take("a:alice");
        for (int i = 0; i < 10; i++) {
            assertThat(take("a:alice")).isEqualTo(first);
        }
        clock.advance(Duration.ofMillis(600));
        assertThat(take("a:alice")).isLessThanOrEqualTo(first.minusMillis(600));
        clock.advance(Duration.ofMillis(400));
        assertThat(take("a:alice")).isZero();
    }

    @Test
    void buckets_of_different_keys_are_independent() {
        for (int i = 0; i < 5; i++) {
            take("a:alice");
        }
        assertThat(take("a:alice")).isPositive();
        assertThat(take("a:bob")).isZero();
        assertThat(take("chat:a:alice")).isZero();
    }

    @Test
    void a_clock_set_back_adds_no_tokens() {
        for (int i = 0; i < 5; i++) {
            take("a:alice");
        }
        clock.advance(Duration.ofSeconds(-30));
        assertThat(take("a:alice")).isPositive();
        clock.advance(Duration.ofSeconds(30));
        assertThat(take("a:alice")).isPositive();
        clock.advance(Duration.ofSeconds(1));
        assertThat(take("a:alice")).isZero();
    }

    @Test
    void of_many_concurrent_takes_exactly_the_burst_succeed() throws Exception {
        Rate rate = new Rate(1, 10);
        List<Duration> waits = Race.run(64, i -> buckets().take("a:flood", rate, clock.instant()));
        assertThat(waits.stream().filter(Duration::isZero)).hasSize(10);
    }
}
