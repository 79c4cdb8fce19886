package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.AgentStore;
import io.agenthub.agent.Presence;
import io.agenthub.auth.Role;
import io.agenthub.lease.Acquisition;
import io.agenthub.lease.LeaseStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What stays off the single writer: refusals of a lease held by another agent, and presence (heartbeats that change
 * neither status nor task, touches), which reaches the table in one write per flush and survives a clean close.
 */
class SqliteSoftWritesTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

    private static SqliteDatabase db(Stores stores) {
        return ((SqliteStores) stores).database();
    }

    private static long storedLastSeen(Stores stores, String id) {
        return db(stores).read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seen FROM agent WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void a_lease_held_by_another_agent_is_refused_without_a_write() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            LeaseStore leases = stores.leases();
            Acquisition.Granted first =
                    (Acquisition.Granted) leases.tryAcquire("src/a.txt", "a1", Duration.ofMinutes(5), "", T0, 10);
            long writes = db(stores).writesSubmitted();
            for (int i = 0; i < 50; i++) {
                Acquisition refused = leases.tryAcquire("src/a.txt", "a2", Duration.ofMinutes(5), "", T0, 10);
                assertThat(refused).isEqualTo(new Acquisition.Refused(List.of(first.lease())));
                assertThat(leases.tryAcquire("src/", "a2", Duration.ofMinutes(5), "", T0, 10))
                        .isInstanceOf(Acquisition.Refused.class);
            }
            assertThat(db(stores).writesSubmitted())
                    .as("refusals took no write")
                    .isEqualTo(writes);

            leases.release("src/a.txt", "a1", first.lease().token(), T0);
            Acquisition.Granted second =
                    (Acquisition.Granted) leases.tryAcquire("src/a.txt", "a2", Duration.ofMinutes(5), "", T0, 10);
            assertThat(second.lease().token()).isGreaterThan(first.lease().token());
        } finally {
            stores.close();
        }
    }

    @Test
    void an_acquire_of_a_name_nobody_holds_skips_the_reader_and_refusals_still_skip_the_writer() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            LeaseStore leases = stores.leases();
            Duration ttl = Duration.ofMinutes(5);
            long reads = db(stores).readsRun();
            List<Acquisition.Granted> granted = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                granted.add((Acquisition.Granted) leases.tryAcquire("src/new-" + i, "a1", ttl, "", T0, 100));
            }
            assertThat(db(stores).readsRun() - reads)
                    .as("grants of names no lease overlaps ask no reader first")
                    .isZero();

            // The name itself, a zone around it, a name inside a zone: refused by the reader, no write.
            leases.tryAcquire("lib/", "a1", ttl, "", T0, 100);
            long writes = db(stores).writesSubmitted();
            assertThat(leases.tryAcquire("src/new-3", "a2", ttl, "", T0, 100)).isInstanceOf(Acquisition.Refused.class);
            assertThat(leases.tryAcquire("src/", "a2", ttl, "", T0, 100)).isInstanceOf(Acquisition.Refused.class);
            assertThat(leases.tryAcquire("lib/x/y.java", "a2", ttl, "", T0, 100))
                    .isInstanceOf(Acquisition.Refused.class);
            assertThat(db(stores).writesSubmitted())
                    .as("refusals took no write")
                    .isEqualTo(writes);

            // Released, expired: the name is free again, and its grant goes straight to the writer.
            leases.release("src/new-3", "a1", granted.get(3).lease().token(), T0);
            reads = db(stores).readsRun();
            Acquisition.Granted again = (Acquisition.Granted) leases.tryAcquire("src/new-3", "a2", ttl, "", T0, 100);
            assertThat(again.lease().token())
                    .isGreaterThan(granted.getLast().lease().token());
            Instant later = T0.plus(ttl).plusSeconds(1);
            assertThat(leases.tryAcquire("src/new-4", "a2", ttl, "", later, 100))
                    .isInstanceOf(Acquisition.Granted.class);
            assertThat(db(stores).readsRun() - reads).isZero();

            // After a restart the held names are known again: a refusal still takes no write.
            stores = SqliteFixture.reopen(stores);
            LeaseStore reopened = stores.leases();
            writes = db(stores).writesSubmitted();
            assertThat(reopened.tryAcquire("src/new-5", "a3", ttl, "", T0, 100))
                    .isInstanceOf(Acquisition.Refused.class);
            assertThat(reopened.tryAcquire("src/new-3", "a3", ttl, "", T0, 100))
                    .isInstanceOf(Acquisition.Refused.class);
            assertThat(db(stores).writesSubmitted()).isEqualTo(writes);
        } finally {
            stores.close();
        }
    }

    @Test
    void presence_reaches_the_table_in_one_write_per_flush_and_at_close() throws Exception {
        Stores stores = SqliteFixture.fresh();
        AgentStore agents = stores.agents();
        for (int i = 0; i < 20; i++) {
            agents.create(Agent.fresh("a" + i, null, Role.AGENT, List.of(), Map.of(), T0));
        }
        agents.heartbeat("a0", AgentStatus.BUSY, "build", null, T0);
        long writes = db(stores).writesSubmitted();
        for (int s = 1; s <= 5; s++) {
            for (int i = 0; i < 20; i++) {
                Agent a = agents.heartbeat(
                                "a" + i, AgentStatus.BUSY, i == 0 ? "build" : null, 7L * s, T0.plusSeconds(s))
                        .orElseThrow()
                        .agent();
                assertThat(a.lastSeen()).isEqualTo(T0.plusSeconds(s));
                assertThat(a.presence()).isEqualTo(Presence.ONLINE);
                assertThat(a.contextTokens()).isEqualTo(7L * s);
                agents.touch("a" + i, T0.plusSeconds(s));
            }
        }
        // The first heartbeat of a1..a19 changes their status (IDLE to BUSY): a write each; the rest are marks, written
        // by the flushes that happened to run meanwhile (one each second).
        assertThat(db(stores).writesSubmitted() - writes).isLessThanOrEqualTo(19 + 5);
        assertThat(agents.find("a3").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(5));
        assertThat(agents.list()).allSatisfy(a -> assertThat(a.lastSeen()).isEqualTo(T0.plusSeconds(5)));

        ((SqliteAgentStore) agents).flush();
        assertThat(storedLastSeen(stores, "a3")).isEqualTo(T0.plusSeconds(5).toEpochMilli());

        agents.touch("a4", T0.plusSeconds(9));
        stores = SqliteFixture.reopen(stores);
        try {
            Agent a4 = stores.agents().find("a4").orElseThrow();
            assertThat(a4.lastSeen()).as("close writes the last marks").isEqualTo(T0.plusSeconds(9));
            assertThat(a4.contextTokens()).isEqualTo(35L);
            assertThat(a4.status()).isEqualTo(AgentStatus.BUSY);
            assertThat(storedLastSeen(stores, "a4")).isEqualTo(T0.plusSeconds(9).toEpochMilli());
        } finally {
            stores.close();
        }
    }

    @Test
    void a_snapshot_holds_the_presence_marked_in_memory() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            stores.agents().create(Agent.fresh("a1", null, Role.AGENT, List.of(), Map.of(), T0));
            stores.agents().touch("a1", T0.plusSeconds(30));
            List<SnapshotRecord> records = new ArrayList<>();
            stores.snapshots().export(records::add);
            assertThat(records)
                    .filteredOn(r -> r instanceof SnapshotRecord.AgentRow)
                    .singleElement()
                    .satisfies(r -> assertThat(
                                    ((SnapshotRecord.AgentRow) r).agent().lastSeen())
                            .isEqualTo(T0.plusSeconds(30)));
        } finally {
            stores.close();
        }
    }

    @Test
    void a_heartbeat_that_changes_status_commits_before_it_returns() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            AgentStore agents = stores.agents();
            agents.create(Agent.fresh("a1", null, Role.AGENT, List.of(), Map.of(), T0));
            agents.touch("a1", T0.plusSeconds(3));
            long writes = db(stores).writesSubmitted();
            agents.heartbeat("a1", AgentStatus.BLOCKED, null, null, T0.plusSeconds(4));
            assertThat(db(stores).writesSubmitted() - writes).isEqualTo(1);
            String status = db(stores).read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT status FROM agent WHERE id = 'a1'");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(status).isEqualTo("BLOCKED");
            assertThat(storedLastSeen(stores, "a1")).isEqualTo(T0.plusSeconds(4).toEpochMilli());
        } finally {
            stores.close();
        }
    }
}
