package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.trace.TraceCursor;
import io.agenthub.trace.TraceEntry;
import io.agenthub.trace.TraceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace contract: batches appended in order, read per agent in time order, purged by age. */
public abstract class TraceStoreContract extends StoresContract {
    private TraceStore traces() {
        return stores.traces();
    }

    private TraceEntry entry(String agent, String action, Instant at) {
        return new TraceEntry(0, agent, at, "call", action, "s", "200", 3);
    }

    @Test
    void entries_are_read_per_agent_in_time_order() throws Exception {
        Instant t0 = clock.instant();
        traces().append(List.of(
                entry("alice", "a1", t0), entry("bob", "b1", t0), entry("alice", "a2", t0.plusSeconds(1))));
        traces().append(List.of(entry("alice", "a0", t0.minusSeconds(10)), entry("alice", "a3", t0.plusSeconds(1))));
        traces().append(List.of());
        restart();
        List<TraceEntry> alice = traces().list("alice", t0, 100);
        assertThat(alice).extracting(TraceEntry::action).containsExactly("a1", "a2", "a3");
        assertThat(alice.get(1).seq()).isLessThan(alice.get(2).seq());
        assertThat(alice.get(0).millis()).isEqualTo(3);
        assertThat(traces().list("alice", t0.minusSeconds(60), 2))
                .extracting(TraceEntry::action)
                .containsExactly("a0", "a1");
        assertThat(traces().list("bob", t0, 100)).extracting(TraceEntry::action).containsExactly("b1");
        assertThat(traces().list("carol", t0, 100)).isEmpty();
    }

    @Test
    void the_newest_page_comes_first_and_pages_back_through_ties_of_one_millisecond() throws Exception {
        Instant t0 = clock.instant();
        traces().append(List.of(entry("alice", "old", t0.minusSeconds(120)), entry("alice", "a0", t0)));
        traces().append(List.of(
                entry("alice", "a1", t0.plusSeconds(1)),
                entry("bob", "b1", t0.plusSeconds(1)),
                entry("alice", "a2", t0.plusSeconds(1)),
                entry("alice", "a3", t0.plusSeconds(1))));
        traces().append(List.of(entry("alice", "a4", t0.plusSeconds(2))));
        restart();
        Instant since = t0.minusSeconds(60);
        List<TraceEntry> newest = traces().latest("alice", since, null, 2);
        assertThat(newest).extracting(TraceEntry::action).containsExactly("a3", "a4");
        List<TraceEntry> older = traces().latest("alice", since, TraceCursor.of(newest.getFirst()), 2);
        assertThat(older).extracting(TraceEntry::action).containsExactly("a1", "a2");
        List<TraceEntry> oldest = traces().latest("alice", since, TraceCursor.of(older.getFirst()), 2);
        assertThat(oldest)
                .extracting(TraceEntry::action)
                .as("since bounds the page")
                .containsExactly("a0");
        assertThat(traces().latest("alice", t0.plusSeconds(10), null, 5)).isEmpty();
        assertThat(traces().latest("carol", since, null, 5)).isEmpty();
    }

    @Test
    void a_batch_takes_its_sequence_numbers_in_the_order_given_whatever_the_agents() {
        Instant t0 = clock.instant();
        traces().append(List.of(
                entry("alice", "a1", t0), entry("bob", "b1", t0), entry("alice", "a2", t0), entry("bob", "b2", t0)));
        long a1 = traces().list("alice", t0, 10).get(0).seq();
        long a2 = traces().list("alice", t0, 10).get(1).seq();
        long b1 = traces().list("bob", t0, 10).get(0).seq();
        long b2 = traces().list("bob", t0, 10).get(1).seq();
        assertThat(List.of(a1, b1, a2, b2)).isSorted().doesNotHaveDuplicates();
        traces().append(List.of(entry("bob", "b3", t0)));
        assertThat(traces().list("bob", t0, 10).get(2).seq()).isGreaterThan(b2);
        TraceEntry read = traces().list("alice", t0, 10).get(0);
        assertThat(read.agentId()).isEqualTo("alice");
        assertThat(read.at().toEpochMilli()).isEqualTo(t0.toEpochMilli());
        assertThat(read.kind()).isEqualTo("call");
        assertThat(read.subject()).isEqualTo("s");
        assertThat(read.outcome()).isEqualTo("200");
    }

    @Test
    void purge_deletes_entries_before_the_cut() {
        Instant t0 = clock.instant();
        traces().append(List.of(entry("a", "old", t0), entry("a", "new", t0.plus(Duration.ofHours(2)))));
        assertThat(traces().purgeBefore(t0.plus(Duration.ofHours(1)))).isEqualTo(1);
        assertThat(traces().list("a", t0, 10)).extracting(TraceEntry::action).containsExactly("new");
    }

    @Test
    void trim_keeps_only_the_newest_entries_across_agents() {
        Instant t0 = clock.instant();
        traces().append(List.of(entry("a", "a1", t0), entry("b", "b1", t0.plusMillis(1))));
        traces().append(List.of(entry("a", "a2", t0.plusMillis(2)), entry("b", "b2", t0.plusMillis(3))));
        traces().append(List.of(entry("c", "c1", t0.plusMillis(4))));
        assertThat(traces().trimTo(10)).isZero();
        assertThat(traces().trimTo(2)).isEqualTo(3);
        assertThat(traces().list("a", t0, 10)).isEmpty();
        assertThat(traces().list("b", t0, 10)).extracting(TraceEntry::action).containsExactly("b2");
        assertThat(traces().list("c", t0, 10)).extracting(TraceEntry::action).containsExactly("c1");
        assertThat(traces().trimTo(2)).isZero();
    }

    @Test
    void a_purge_larger_than_one_step_removes_everything_due() {
        Instant t0 = clock.instant();
        for (int batch = 0; batch < 6; batch++) {
            List<TraceEntry> entries = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                entries.add(entry(batch % 2 == 0 ? "a" : "b", "x", t0.plusMillis(batch * 2_000L + i)));
            }
            traces().append(entries);
        }
        assertThat(traces().purgeBefore(t0.plusMillis(11_000))).isEqualTo(11_000);
        assertThat(traces().list("b", t0, 5_000)).hasSize(1_000);
        assertThat(traces().trimTo(400)).isEqualTo(600);
        assertThat(traces().list("b", t0, 5_000)).hasSize(400);
    }
}
