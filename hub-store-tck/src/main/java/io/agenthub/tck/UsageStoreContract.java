package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.usage.DayTotals;
import io.agenthub.usage.Tally;
import io.agenthub.usage.UsageEntry;
import io.agenthub.usage.UsageRow;
import io.agenthub.usage.UsageStore;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The usage contract: increments inside the store, totals per agent, pool and fleet, exact under concurrency. */
public abstract class UsageStoreContract extends StoresContract {
    private static final String DAY = "2026-01-01";

    private UsageStore usage() {
        return stores.usage();
    }

    private static Tally call(long input, long output, long cost) {
        return new Tally(1, input, output, 10, 20, cost);
    }

    @Test
    void a_record_returns_the_day_totals_of_agent_pool_and_fleet() {
        DayTotals first = usage().record(new UsageEntry(DAY, "a1", "web", "claude-sonnet-4-5", call(100, 50, 1000)));
        assertThat(first.day()).isEqualTo(DAY);
        assertThat(first.agent()).isEqualTo(call(100, 50, 1000));
        assertThat(first.pool()).isEqualTo(call(100, 50, 1000));
        assertThat(first.fleet()).isEqualTo(call(100, 50, 1000));

        usage().record(new UsageEntry(DAY, "a2", "web", "claude-haiku-4-5", call(1, 2, 3)));
        DayTotals third = usage().record(new UsageEntry(DAY, "a3", "", "claude-opus-4-5", call(5, 5, 500)));
        assertThat(third.agent()).isEqualTo(call(5, 5, 500));
        assertThat(third.pool()).as("no pool").isEqualTo(Tally.ZERO);
        assertThat(third.fleet()).isEqualTo(new Tally(3, 106, 57, 30, 60, 1503));

        DayTotals read = usage().totals(DAY, "a1", "web");
        assertThat(read.agent()).isEqualTo(call(100, 50, 1000));
        assertThat(read.pool()).isEqualTo(new Tally(2, 101, 52, 20, 40, 1003));
        assertThat(read.fleet().costNanos()).isEqualTo(1503);
        assertThat(usage().totals(DAY, "", "").agent()).isEqualTo(Tally.ZERO);
        assertThat(usage().totals("2026-01-02", "a1", "web").fleet()).isEqualTo(Tally.ZERO);
    }

    @Test
    void concurrent_reports_for_one_agent_and_pool_are_all_counted_exactly() throws Exception {
        int threads = 32;
        int each = 40;
        List<List<Long>> seen = Concurrently.run(threads, i -> () -> {
            List<Long> fleetCalls = new java.util.ArrayList<>();
            for (int n = 0; n < each; n++) {
                DayTotals t = usage().record(new UsageEntry(DAY, "busy", "web", "claude-sonnet-4-5", call(7, 3, 11)));
                fleetCalls.add(t.fleet().calls());
            }
            return fleetCalls;
        });
        long total = (long) threads * each;
        DayTotals totals = usage().totals(DAY, "busy", "web");
        assertThat(totals.agent())
                .isEqualTo(new Tally(total, 7 * total, 3 * total, 10 * total, 20 * total, 11 * total));
        assertThat(totals.pool()).isEqualTo(totals.agent());
        assertThat(totals.fleet()).isEqualTo(totals.agent());
        assertThat(seen.stream().flatMap(List::stream).sorted().toList())
                .as("each record saw the totals right after its own addition")
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(usage().rows(DAY, DAY))
                .containsExactly(new UsageRow(DAY, "busy", "web", "claude-sonnet-4-5", totals.agent()));
    }

    @Test
    void days_are_counted_apart_and_rows_cover_a_range_in_order() throws Exception {
        usage().record(new UsageEntry("2026-01-02", "b", "", "m1", call(1, 1, 1)));
        usage().record(new UsageEntry("2026-01-01", "a", "web", "m2", call(2, 2, 2)));
        usage().record(new UsageEntry("2026-01-01", "a", "web", "m1", call(3, 3, 3)));
        usage().record(new UsageEntry("2026-01-03", "a", "web", "m1", call(4, 4, 4)));
        usage().record(new UsageEntry("2026-01-01", "a", "web", "m1", call(5, 5, 5)));
        restart();
        assertThat(usage().rows("2026-01-01", "2026-01-02"))
                .containsExactly(
                        new UsageRow("2026-01-01", "a", "web", "m1", new Tally(2, 8, 8, 20, 40, 8)),
                        new UsageRow("2026-01-01", "a", "web", "m2", call(2, 2, 2)),
                        new UsageRow("2026-01-02", "b", "", "m1", call(1, 1, 1)));
        assertThat(usage().totals("2026-01-03", "a", "web").fleet()).isEqualTo(call(4, 4, 4));
        assertThat(usage().totals("2026-01-01", "a", "web").fleet().costNanos()).isEqualTo(10);
    }
}
