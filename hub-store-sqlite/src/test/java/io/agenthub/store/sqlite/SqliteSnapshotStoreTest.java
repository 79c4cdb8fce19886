package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Disablement;
import io.agenthub.auth.Role;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import io.agenthub.tck.SnapshotStoreContract;
import io.agenthub.trace.TraceEntry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqliteSnapshotStoreTest extends SnapshotStoreContract {
    @Override
    protected Stores openStores() throws Exception {
        return SqliteFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return SqliteFixture.reopen(old);
    }

    @Test
    void a_disabled_agent_keeps_its_mark_through_export_and_restore() throws Exception {
        Disablement mark = new Disablement("admin", clock.instant(), "leaked token");
        stores.agents().create(Agent.fresh("rogue", "Rogue", Role.AGENT, List.of(), Map.of(), clock.instant()));
        stores.agents().create(Agent.fresh("good", "Good", Role.AGENT, List.of(), Map.of(), clock.instant()));
        stores.agents().disable("rogue", mark);
        List<SnapshotRecord> records = new ArrayList<>();
        stores.snapshots().export(records::add);
        assertThat(records)
                .filteredOn(r -> r instanceof SnapshotRecord.AgentRow)
                .extracting(r -> ((SnapshotRecord.AgentRow) r).agent().disabled())
                .containsExactly(null, mark);
        try (Stores copy = SqliteFixture.fresh()) {
            copy.snapshots().restore(records.iterator());
            assertThat(copy.agents().find("rogue").orElseThrow().disabled()).isEqualTo(mark);
            assertThat(copy.agents().find("good").orElseThrow().disabled()).isNull();
        }
    }

    /** The records of a small populated hub, handed out slowly, failing at record {@code failAt} if it is not -1. */
    private static Iterator<SnapshotRecord> slowly(List<SnapshotRecord> records, long millisEach, int failAt) {
        Iterator<SnapshotRecord> it = records.iterator();
        return new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public SnapshotRecord next() {
                if (n++ == failAt) {
                    throw new IllegalStateException("the snapshot file ends early");
                }
                try {
                    Thread.sleep(millisEach);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return it.next();
            }
        };
    }

    @Test
    void a_restore_that_outlasts_the_writers_confirm_timeout_completes_all_or_nothing() throws Exception {
        populate(stores);
        for (int i = 0; i < 40; i++) {
            stores.traces()
                    .append(List.of(new TraceEntry(0, "alice", clock.instant(), "call", "GET /api/x", "", "200", 1)));
        }
        List<SnapshotRecord> records = new ArrayList<>();
        stores.snapshots().export(records::add);
        assertThat(records).hasSizeGreaterThan(60);
        // 60+ records at 10 ms each take well over the 200 ms within which a plain write must be confirmed.
        try (SqliteDatabase db = new SqliteDatabase(
                Files.createTempDirectory("slow-restore").resolve("hub.db"), false, 1, true, Duration.ofMillis(200))) {
            SqliteSnapshotStore target = new SqliteSnapshotStore(db, () -> {});
            assertThatThrownBy(() -> target.restore(slowly(records, 10, records.size() - 5)))
                    .hasMessageContaining("ends early");
            assertThat(target.isEmpty())
                    .as("a failed restore leaves the store empty")
                    .isTrue();

            target.restore(slowly(records, 10, -1));
            List<SnapshotRecord> restored = new ArrayList<>();
            target.export(restored::add);
            assertThat(restored).isEqualTo(records);
        }
    }
}
