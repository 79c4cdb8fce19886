package io.agenthub.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestDeadlineTest {
    @Test
    void a_thread_without_a_deadline_has_all_the_time_and_a_scope_sets_one_until_it_closes() {
        assertThat(RequestDeadline.remainingNanos()).isEqualTo(Long.MAX_VALUE);
        try (RequestDeadline.Scope ignored = RequestDeadline.start(Duration.ofSeconds(2))) {
            assertThat(RequestDeadline.remainingNanos())
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(2).toNanos());
            assertThat(RequestDeadline.budget()).isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(RequestDeadline.remainingNanos()).isEqualTo(Long.MAX_VALUE);
        try (RequestDeadline.Scope ignored = RequestDeadline.start(Duration.ZERO)) {
            assertThat(RequestDeadline.remainingNanos()).as("zero sets none").isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void an_inner_scope_keeps_the_sooner_deadline_and_restores_the_outer_one() {
        try (RequestDeadline.Scope outer = RequestDeadline.start(Duration.ofMinutes(1))) {
            try (RequestDeadline.Scope inner = RequestDeadline.start(Duration.ofMinutes(10))) {
                assertThat(RequestDeadline.budget()).isEqualTo(Duration.ofMinutes(1));
            }
            try (RequestDeadline.Scope inner = RequestDeadline.start(Duration.ofSeconds(1))) {
                assertThat(RequestDeadline.budget()).isEqualTo(Duration.ofSeconds(1));
            }
            assertThat(RequestDeadline.budget()).isEqualTo(Duration.ofMinutes(1));
        }
    }

    @Test
    void the_deadline_passes_renews_after_a_wait_and_shared_work_runs_outside_it() throws Exception {
        try (RequestDeadline.Scope ignored = RequestDeadline.start(Duration.ofMillis(300))) {
            Thread.sleep(400);
            assertThat(RequestDeadline.remainingNanos()).isNotPositive();
            assertThat(RequestDeadline.outside(RequestDeadline::remainingNanos)).isEqualTo(Long.MAX_VALUE);
            assertThat(RequestDeadline.remainingNanos())
                    .as("restored after the shared work")
                    .isNotPositive();
            RequestDeadline.renew();
            assertThat(RequestDeadline.remainingNanos()).isPositive();
        }
    }
}
