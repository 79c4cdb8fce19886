package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ops.CounterStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operation counter contract: per-minute buckets, window sums, exact under concurrency, purge. */
public abstract class CounterStoreContract extends StoresContract {
    private CounterStore counters() {
        return stores.counters();
    }

    private Instant minute(int n) {
        return clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(n));
    }

    @Test
    void sums_cover_the_buckets_that_start_in_the_window() throws Exception {
        counters().add(minute(0), Map.of("requests", 10L, "server_errors", 1L));
        counters().add(minute(1), Map.of("requests", 5L));
        counters().add(minute(1), Map.of("requests", 2L));
        counters().add(minute(3), Map.of("requests", 100L, "lease_grants", 4L));
        restart();
        assertThat(counters().sum(minute(0), minute(2))).isEqualTo(Map.of("requests", 17L, "server_errors", 1L));
        assertThat(counters().sum(minute(1), minute(4))).isEqualTo(Map.of("requests", 107L, "lease_grants", 4L));
        assertThat(counters().sum(minute(4), minute(10))).isEmpty();
        counters().add(minute(5), Map.of());
        assertThat(counters().sum(minute(5), minute(6))).isEmpty();
    }

    @Test
    void concurrent_adds_never_lose_an_increment() throws Exception {
        Race.run(32, i -> {
            for (int n = 0; n < 20; n++) {
                counters().add(minute(n % 2), Map.of("requests", 1L, "latency_ms", 3L));
            }
            return null;
        });
        assertThat(counters().sum(minute(0), minute(2))).isEqualTo(Map.of("requests", 640L, "latency_ms", 1920L));
    }

    @Test
    void purge_deletes_buckets_before_the_cut() {
        counters().add(minute(0), Map.of("a", 1L, "b", 1L));
        counters().add(minute(1), Map.of("a", 1L));
        assertThat(counters().purgeBefore(minute(1))).isEqualTo(2);
        assertThat(counters().sum(minute(0), minute(5))).isEqualTo(Map.of("a", 1L));
    }
}
