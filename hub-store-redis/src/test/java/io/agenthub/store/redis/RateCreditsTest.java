package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ratelimit.Rate;
import org.junit.jupiter.api.Test;

class RateCreditsTest {
    static final Rate WRITES = new Rate(600, 200); // the default writes limit: 10 a second, bursts of 200

    @Test
    void the_cap_is_a_second_of_refill_an_eighth_of_the_burst_and_at_most_64() {
        assertThat(RateCredits.cap(WRITES)).isEqualTo(10);
        assertThat(RateCredits.cap(new Rate(1200, 300))).isEqualTo(20);
        assertThat(RateCredits.cap(new Rate(60, 5))).isEqualTo(1);
        assertThat(RateCredits.cap(new Rate(6000, 40))).isEqualTo(5);
        assertThat(RateCredits.cap(new Rate(1_000_000_000, 1_000_000_000))).isEqualTo(64);
    }

    @Test
    void a_busy_caller_asks_for_doubling_batches_up_to_the_cap_and_spends_only_what_was_granted() {
        RateCredits credits = new RateCredits();
        long now = 1_000_000;
        int asks = 0;
        int granted = 0;
        int spent = 0;
        for (int call = 0; call < 200; call++) {
            int wanted = credits.spendOrAsk("w:a", WRITES, now);
            if (wanted == 0) {
                spent++;
                continue;
            }
            asks++;
            assertThat(wanted).isBetween(1, 10);
            granted += wanted;
            spent++;
            credits.settle("w:a", WRITES, wanted, wanted, now);
        }
        assertThat(spent).isEqualTo(200);
        assertThat(granted).isGreaterThanOrEqualTo(spent);
        // 1, 2, 4, 8, then batches of 10: 4 + 19 asks for 200 calls (one per call without credits).
        assertThat(asks).isLessThanOrEqualTo(24);
    }

    @Test
    void a_credit_lapses_after_a_second_and_a_slow_caller_asks_for_one_token_at_a_time() {
        RateCredits credits = new RateCredits();
        long now = 1_000_000;
        int wanted = 0;
        for (int i = 0; i < 50 && wanted < 8; i++) { // a busy caller: the batch grows to 8
            int asked = credits.spendOrAsk("w:a", WRITES, now);
            if (asked > 0) {
                credits.settle("w:a", WRITES, asked, asked, now);
                wanted = asked;
            }
        }
        assertThat(wanted).isEqualTo(8);
        // Credit left, but a second later it has lapsed: the next call asks Redis, for a smaller batch.
        int after = credits.spendOrAsk("w:a", WRITES, now + RateCredits.VALID_MILLIS);
        assertThat(after).isBetween(1, wanted / 2);
        // One call every two seconds: the batch shrinks to one and stays there.
        long t = now + RateCredits.VALID_MILLIS;
        int last = after;
        for (int i = 0; i < 6; i++) {
            credits.settle("w:a", WRITES, last, last, t);
            t += 2_000;
            last = credits.spendOrAsk("w:a", WRITES, t);
            assertThat(last).isPositive();
        }
        assertThat(last).isEqualTo(1);
    }

    @Test
    void a_clock_set_back_before_the_take_does_not_spend_its_credit() {
        RateCredits credits = new RateCredits();
        credits.spendOrAsk("w:a", WRITES, 10_000);
        credits.settle("w:a", WRITES, 1, 6, 10_000);
        assertThat(credits.spendOrAsk("w:a", WRITES, 10_001)).isZero();
        assertThat(credits.spendOrAsk("w:a", WRITES, 5_000)).isPositive();
    }

    @Test
    void small_limits_keep_nothing() {
        RateCredits credits = new RateCredits();
        for (int i = 0; i < 10; i++) {
            assertThat(credits.spendOrAsk("c:a", new Rate(60, 5), 1_000)).isEqualTo(1);
        }
        assertThat(credits.size()).isZero();
    }

    @Test
    void calls_that_miss_while_a_batch_is_on_its_way_ask_for_one_token_each() {
        RateCredits credits = new RateCredits();
        long now = 1_000_000;
        int first = credits.spendOrAsk("w:a", WRITES, now);
        assertThat(first).isEqualTo(1);
        // Before the first call's answer arrives, others miss too: single tokens, no second batch.
        assertThat(credits.spendOrAsk("w:a", WRITES, now)).isEqualTo(-1);
        assertThat(credits.spendOrAsk("w:a", WRITES, now)).isEqualTo(-1);
        credits.settle("w:a", WRITES, -1, 1, now);
        credits.settle("w:a", WRITES, -1, 1, now);
        credits.settle("w:a", WRITES, first, first, now);
        // The batch ask is over: the next miss asks for a (larger) batch again, and only one does.
        int next = credits.spendOrAsk("w:a", WRITES, now);
        assertThat(next).isEqualTo(2);
        assertThat(credits.spendOrAsk("w:a", WRITES, now)).isEqualTo(-1);
        credits.settle("w:a", WRITES, next, next, now);
        assertThat(credits.spendOrAsk("w:a", WRITES, now)).isZero();
    }

    @Test
    void a_failed_batch_ask_ends_so_the_next_miss_may_ask_again() {
        RateCredits credits = new RateCredits();
        assertThat(credits.spendOrAsk("w:a", WRITES, 1_000)).isPositive();
        credits.settle("w:a", WRITES, 1, 0, 1_000); // refused, or Redis did not answer
        assertThat(credits.spendOrAsk("w:a", WRITES, 1_000)).isPositive();
    }
}
