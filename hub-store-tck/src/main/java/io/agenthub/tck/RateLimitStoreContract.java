package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ratelimit.Hold;
import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimitStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rate limiter's token buckets (burst, refill, independence of keys, atomic takes, clocks set back) and its
 * fleet-wide holds (start once, extend, end once).
 */
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

    @Test
    void a_hold_starts_once_extends_to_the_later_end_and_ends_once() {
        Instant t0 = clock.instant();
        assertThat(buckets().hold("backoff")).isEmpty();
        Hold first = buckets().extendHold("backoff", t0.plusSeconds(60), t0);
        assertThat(first.started()).isTrue();
        assertThat(first.since()).isEqualTo(t0);
        assertThat(first.until()).isEqualTo(t0.plusSeconds(60));
        assertThat(first.count()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(10));
        Hold second = buckets().extendHold("backoff", clock.instant().plusSeconds(20), clock.instant());
        assertThat(second.started()).isFalse();
        assertThat(second.since()).isEqualTo(t0);
        assertThat(second.until()).as("an earlier end does not shorten it").isEqualTo(t0.plusSeconds(60));
        assertThat(second.count()).isEqualTo(2);
        Hold third = buckets().extendHold("backoff", clock.instant().plusSeconds(90), clock.instant());
        assertThat(third.until()).isEqualTo(t0.plusSeconds(100));
        assertThat(buckets().hold("backoff"))
                .get()
                .extracting(Hold::until, Hold::count, Hold::started)
                .containsExactly(t0.plusSeconds(100), 3L, false);
        assertThat(buckets().hold("other")).isEmpty();

        assertThat(buckets().endHold("backoff", clock.instant()))
                .as("not over yet")
                .isFalse();
        clock.advance(Duration.ofSeconds(90));
        assertThat(buckets().hold("backoff")).as("ended but not removed").isPresent();
        assertThat(buckets().endHold("backoff", clock.instant())).isTrue();
        assertThat(buckets().endHold("backoff", clock.instant())).isFalse();
        assertThat(buckets().hold("backoff")).isEmpty();
    }

    @Test
    void an_ended_hold_not_yet_removed_is_replaced_by_a_new_one() {
        Instant t0 = clock.instant();
        buckets().extendHold("backoff", t0.plusSeconds(5), t0);
        clock.advance(Duration.ofSeconds(6));
        Hold again = buckets().extendHold("backoff", clock.instant().plusSeconds(5), clock.instant());
        assertThat(again.started()).isTrue();
        assertThat(again.since()).isEqualTo(clock.instant());
        assertThat(again.count()).isEqualTo(1);
    }

    @Test
    void of_concurrent_extensions_exactly_one_starts_the_hold_and_of_concurrent_ends_exactly_one_ends_it()
            throws Exception {
        Instant t0 = clock.instant();
        AtomicInteger starts = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                if (buckets().extendHold("race", t0.plusSeconds(30), t0).started()) {
                    starts.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(starts).hasValue(1);
        assertThat(buckets().hold("race")).get().extracting(Hold::count).isEqualTo(16L);
        Instant later = t0.plusSeconds(31);
        AtomicInteger ends = new AtomicInteger();
        threads.clear();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                if (buckets().endHold("race", later)) {
                    ends.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ends).hasValue(1);
    }
}
