package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.AgentStore;
import io.agenthub.agent.Disablement;
import io.agenthub.agent.Presence;
import io.agenthub.agent.ProfileChange;
import io.agenthub.auth.Role;
import io.agenthub.store.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Agent lookups are answered from the committed rows kept in memory, and every committed change is seen by the next
 * lookup: the rows held never fall behind the table, also while many threads look up an agent that is being changed.
 */
class SqliteAgentRowsTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

    private static SqliteDatabase db(Stores stores) {
        return ((SqliteStores) stores).database();
    }

    private static Agent fresh(String id) {
        return Agent.fresh(id, id, Role.AGENT, List.of(), Map.of(), T0);
    }

    private static ProfileChange name(String name) {
        return new ProfileChange(name, null, Map.of(), 64);
    }

    @Test
    void a_known_agent_is_looked_up_and_heartbeats_without_reading_the_table() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            AgentStore agents = stores.agents();
            agents.create(fresh("a1"));
            agents.find("a1").orElseThrow();
            long reads = db(stores).readsRun();
            for (int i = 1; i <= 50; i++) {
                assertThat(agents.find("a1").orElseThrow().id()).isEqualTo("a1");
                assertThat(agents.heartbeat("a1", null, null, (long) i, T0.plusSeconds(i))
                                .orElseThrow()
                                .agent()
                                .lastSeen())
                        .isEqualTo(T0.plusSeconds(i));
            }
            assertThat(db(stores).readsRun()).isEqualTo(reads);
        } finally {
            stores.close();
        }
    }

    @Test
    void every_committed_change_is_seen_by_the_next_lookup_as_the_table_has_it() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            AgentStore agents = stores.agents();
            SqliteAgentStore store = (SqliteAgentStore) agents;
            agents.create(fresh("a1"));
            agents.find("a1").orElseThrow();

            agents.updateProfile("a1", name("Renamed"));
            assertThat(agents.find("a1").orElseThrow().name()).isEqualTo("Renamed");
            Disablement d = new Disablement("admin", T0.plusSeconds(1), "why");
            agents.disable("a1", d);
            assertThat(agents.find("a1").orElseThrow().disabled()).isEqualTo(d);
            agents.enable("a1");
            assertThat(agents.find("a1").orElseThrow().disabled()).isNull();
            agents.heartbeat("a1", AgentStatus.BUSY, "task-1", 9L, T0.plusSeconds(2));
            assertThat(agents.find("a1").orElseThrow().currentTask()).isEqualTo("task-1");

            agents.touch("a1", T0.plusSeconds(30));
            store.flush();
            Agent afterFlush = agents.find("a1").orElseThrow();
            assertThat(afterFlush.lastSeen()).isEqualTo(T0.plusSeconds(30));
            assertThat(agents.transition(
                            "a1", Presence.ONLINE, afterFlush.lastSeen(), Presence.STALE, T0.plusSeconds(40)))
                    .isTrue();
            Agent stale = agents.find("a1").orElseThrow();
            assertThat(stale.presence()).isEqualTo(Presence.STALE);

            Stores reopened = SqliteFixture.reopen(stores);
            stores = reopened;
            assertThat(reopened.agents().find("a1").orElseThrow())
                    .as("what was looked up from memory is what the table holds")
                    .isEqualTo(stale);
        } finally {
            stores.close();
        }
    }

    @Test
    void lookups_racing_with_changes_never_keep_an_older_row() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            AgentStore agents = stores.agents();
            agents.create(fresh("a1"));
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        try {
                            agents.find("a1").orElseThrow();
                        } catch (RuntimeException e) {
                            problems.add(e.toString());
                        }
                    }
                }));
            }
            try {
                for (int i = 0; i < 400; i++) {
                    agents.updateProfile("a1", name("name-" + i));
                    String seen = agents.find("a1").orElseThrow().name();
                    if (!seen.equals("name-" + i)) {
                        problems.add("after name-" + i + " was committed a lookup gave " + seen);
                    }
                }
            } finally {
                running.set(false);
                for (Thread t : readers) {
                    t.join();
                }
            }
            assertThat(problems).isEmpty();
        } finally {
            stores.close();
        }
    }
}
