package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpRecorderTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Response OK = new Response(200, new byte[0], null);

    @Test
    void operations_of_the_join_are_reported_apart_and_not_in_the_results() {
        Window window = new Window(1_000 * MS, 2_000 * MS);
        OpRecorder op = new OpRecorder("heartbeat", window, 0);
        op.record(100 * MS, 900 * MS, OK, 200, false); // joining: 800 ms
        op.record(1_100 * MS, 1_105 * MS, OK, 200, false); // measured: 5 ms
        op.record(2_100 * MS, 2_101 * MS, OK, 200, false); // after the window: neither

        assertThat(op.stats().count()).isEqualTo(1);
        assertThat(op.histogram().getMaxValue()).isBetween(4_990L, 5_010L);
        assertThat(op.joiningHistogram().getTotalCount()).isEqualTo(1);
        assertThat(op.joiningHistogram().getMaxValue()).isBetween(799_000L, 801_000L);
    }

    @Test
    void without_a_join_start_nothing_before_the_window_is_kept() {
        OpRecorder op = new OpRecorder("read", new Window(1_000 * MS, 2_000 * MS));
        op.record(100 * MS, 900 * MS, OK, 200, false);
        assertThat(op.joiningHistogram().getTotalCount()).isZero();
        assertThat(op.stats().count()).isZero();
    }
}
