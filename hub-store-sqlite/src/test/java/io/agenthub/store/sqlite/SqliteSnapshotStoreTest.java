package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Disablement;
import io.agenthub.auth.Role;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import io.agenthub.tck.SnapshotStoreContract;
import java.util.ArrayList;
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
}
