package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.Stores;
import io.agenthub.tck.MutableClock;
import io.agenthub.trace.TraceService;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The trail's size is bounded by its retention settings whatever the write rate: by age when the rate is modest, by
 * the entry cap when it is not. The clock is moved, never waited for.
 */
class TraceRetentionTest {
    private static long rows(Stores stores) {
        return ((SqliteStores) stores).database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trace");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Records {@code perTick} entries, then flushes and prunes as the hub's janitor does every interval. */
    private static void tick(TraceService traces, MutableClock clock, int perTick, Duration keep, long max) {
        for (int i = 0; i < perTick; i++) {
            traces.record("agent-" + (i % 7), "lease", "acquire", "file-" + i, "granted", 1);
        }
        traces.flush();
        traces.purge(keep, max);
        clock.advance(Duration.ofSeconds(10));
    }

    @Test
    void age_bounds_a_modest_trail_and_the_cap_bounds_a_heavy_one() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            MutableClock clock = MutableClock.atSomeFixedTime();
            TraceService traces = new TraceService(stores.traces(), clock);
            Duration keep = Duration.ofMinutes(5);
            // Modest: 100 entries every 10 s; 5 minutes keep 30 ticks' worth (plus the tick at the edge).
            long peak = 0;
            for (int t = 0; t < 90; t++) {
                tick(traces, clock, 100, keep, 1_000_000);
                peak = Math.max(peak, rows(stores));
            }
            assertThat(peak).as("age bounds the trail").isLessThanOrEqualTo(31 * 100);
            assertThat(rows(stores)).isGreaterThanOrEqualTo(30 * 100);
            // Heavy: 12,000 entries every 10 s (more than two purge steps), capped at 20,000.
            for (int t = 0; t < 20; t++) {
                tick(traces, clock, 12_000, keep, 20_000);
                assertThat(rows(stores))
                        .as("the cap bounds the trail after each pass")
                        .isLessThanOrEqualTo(20_000);
            }
            assertThat(rows(stores)).isEqualTo(20_000);
            assertThat(traces.dropped()).isZero();
        } finally {
            stores.close();
        }
    }
}
