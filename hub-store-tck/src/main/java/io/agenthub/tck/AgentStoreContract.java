package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.AgentStore;
import io.agenthub.agent.Presence;
import io.agenthub.auth.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent contract: unique ids, heartbeats, touches, and presence transitions as compare-and-set. */
public abstract class AgentStoreContract extends StoresContract {
    private AgentStore agents() {
        return stores.agents();
    }

    private Agent fresh(String id) {
        return Agent.fresh(id, "Agent " + id, Role.AGENT, List.of("java"), Map.of("pool", "web"), clock.instant());
    }

    @Test
    void ids_are_unique_and_profiles_round_trip() throws Exception {
        assertThat(agents().create(fresh("a1"))).isTrue();
        assertThat(agents().create(fresh("a1"))).isFalse();
        assertThat(agents().create(fresh("a0"))).isTrue();
        restart();
        Agent a1 = agents().find("a1").orElseThrow();
        assertThat(a1).isEqualTo(fresh("a1"));
        assertThat(agents().list()).extracting(Agent::id).containsExactly("a0", "a1");
        assertThat(agents().find("nobody")).isEmpty();
    }

    @Test
    void heartbeat_updates_given_fields_and_marks_online() {
        agents().create(fresh("a1"));
        clock.advance(Duration.ofSeconds(5));
        Agent after = agents().heartbeat("a1", AgentStatus.BUSY, "task-7", 120_000L, clock.instant())
                .orElseThrow();
        assertThat(after.status()).isEqualTo(AgentStatus.BUSY);
        assertThat(after.currentTask()).isEqualTo("task-7");
        assertThat(after.contextTokens()).isEqualTo(120_000L);
        assertThat(after.presence()).isEqualTo(Presence.ONLINE);
        assertThat(after.presenceSince()).isEqualTo(clock.instant());
        assertThat(after.lastSeen()).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(5));
        Agent partial =
                agents().heartbeat("a1", null, null, null, clock.instant()).orElseThrow();
        assertThat(partial.status()).isEqualTo(AgentStatus.BUSY);
        assertThat(partial.currentTask()).isEqualTo("task-7");
        assertThat(partial.presenceSince()).isEqualTo(after.presenceSince());
        assertThat(agents().heartbeat("ghost", null, null, null, clock.instant()))
                .isEmpty();
    }

    @Test
    void touch_never_moves_last_seen_backwards() {
        agents().create(fresh("a1"));
        clock.advance(Duration.ofSeconds(10));
        agents().touch("a1", clock.instant());
        agents().touch("a1", clock.instant().minusSeconds(5));
        Agent a = agents().find("a1").orElseThrow();
        assertThat(a.lastSeen()).isEqualTo(clock.instant());
        assertThat(a.presence()).isEqualTo(Presence.ONLINE);
        agents().touch("ghost", clock.instant());
        assertThat(agents().find("ghost")).isEmpty();
    }

    @Test
    void presence_transition_is_a_compare_and_set_that_a_fresh_call_wins() {
        agents().create(fresh("a1"));
        agents().touch("a1", clock.instant());
        Agent seen = agents().find("a1").orElseThrow();
        clock.advance(Duration.ofMinutes(4));
        assertThat(agents().transition("a1", Presence.ONLINE, seen.lastSeen(), Presence.STALE, clock.instant()))
                .isTrue();
        assertThat(agents().transition("a1", Presence.ONLINE, seen.lastSeen(), Presence.STALE, clock.instant()))
                .isFalse();
        Agent stale = agents().find("a1").orElseThrow();
        assertThat(stale.presence()).isEqualTo(Presence.STALE);
        assertThat(stale.presenceSince()).isEqualTo(clock.instant());

        agents().touch("a1", clock.instant());
        assertThat(agents().transition("a1", Presence.ONLINE, seen.lastSeen(), Presence.OFFLINE, clock.instant()))
                .as("the reaper judged an old lastSeen")
                .isFalse();
        assertThat(agents().find("a1").orElseThrow().presence()).isEqualTo(Presence.ONLINE);
    }

    @Test
    void profile_update_replaces_name_capabilities_and_labels() {
        agents().create(fresh("a1"));
        Agent updated = agents().updateProfile("a1", "Builder", List.of("go"), Map.of("version", "2"))
                .orElseThrow();
        assertThat(updated.name()).isEqualTo("Builder");
        assertThat(updated.capabilities()).containsExactly("go");
        assertThat(updated.labels()).containsExactlyEntriesOf(Map.of("version", "2"));
        assertThat(agents().updateProfile("ghost", "x", List.of(), Map.of())).isEmpty();
    }
}
