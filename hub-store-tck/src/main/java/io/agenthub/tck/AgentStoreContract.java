package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.AgentStore;
import io.agenthub.agent.Disablement;
import io.agenthub.agent.Presence;
import io.agenthub.agent.ProfileChange;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent contract: unique ids, heartbeats, touches, presence transitions as compare-and-set, and the disabled mark
 * that only {@code enable} clears.
 */
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
        AgentStore.Beat first = agents().heartbeat("a1", AgentStatus.BUSY, "task-7", 120_000L, clock.instant())
                .orElseThrow();
        assertThat(first.changed()).as("a new status and task").isTrue();
        Agent after = first.agent();
        assertThat(after.status()).isEqualTo(AgentStatus.BUSY);
        assertThat(after.currentTask()).isEqualTo("task-7");
        assertThat(after.contextTokens()).isEqualTo(120_000L);
        assertThat(after.presence()).isEqualTo(Presence.ONLINE);
        assertThat(after.presenceSince()).isEqualTo(clock.instant());
        assertThat(after.lastSeen()).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(5));
        AgentStore.Beat plain =
                agents().heartbeat("a1", null, null, null, clock.instant()).orElseThrow();
        assertThat(plain.changed()).as("no status or task given").isFalse();
        Agent partial = plain.agent();
        assertThat(partial.status()).isEqualTo(AgentStatus.BUSY);
        assertThat(partial.currentTask()).isEqualTo("task-7");
        assertThat(partial.presenceSince()).isEqualTo(after.presenceSince());
        assertThat(agents().heartbeat("ghost", null, null, null, clock.instant()))
                .isEmpty();
    }

    @Test
    void a_heartbeat_says_whether_it_changed_the_status_or_the_task() throws Exception {
        agents().create(fresh("a1"));
        AgentStatus initial = agents().find("a1").orElseThrow().status();
        AgentStatus other = initial == AgentStatus.BUSY ? AgentStatus.ACTIVE : AgentStatus.BUSY;
        String task = agents().find("a1").orElseThrow().currentTask();
        assertThat(agents().heartbeat("a1", initial, task, 5L, clock.instant())
                        .orElseThrow()
                        .changed())
                .as("the same status and task, new tokens")
                .isFalse();
        assertThat(agents().heartbeat("a1", other, null, null, clock.instant())
                        .orElseThrow()
                        .changed())
                .as("a new status")
                .isTrue();
        assertThat(agents().heartbeat("a1", other, null, null, clock.instant())
                        .orElseThrow()
                        .changed())
                .as("that status again")
                .isFalse();
        assertThat(agents().heartbeat("a1", null, "task-9", null, clock.instant())
                        .orElseThrow()
                        .changed())
                .as("a new task")
                .isTrue();
        assertThat(agents().heartbeat("a1", other, "task-9", null, clock.instant())
                        .orElseThrow()
                        .changed())
                .as("both as they are")
                .isFalse();
        restart();
        assertThat(agents().heartbeat("a1", null, "task-10", null, clock.instant())
                        .orElseThrow()
                        .changed())
                .as("a new task after a restart")
                .isTrue();
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
    void profile_update_sets_name_capabilities_and_labels() {
        agents().create(fresh("a1"));
        Agent updated = agents().updateProfile("a1", change("Builder", List.of("go"), Map.of("version", "2")))
                .orElseThrow();
        assertThat(updated.name()).isEqualTo("Builder");
        assertThat(updated.capabilities()).containsExactly("go");
        assertThat(updated.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("pool", "web", "version", "2"));
        assertThat(agents().updateProfile("ghost", change("x", List.of(), Map.of())))
                .isEmpty();
        assertThat(agents().updateProfile("a1", change("", null, Map.of()))
                        .orElseThrow()
                        .name())
                .as("an empty name resets it to the id")
                .isEqualTo("a1");
    }

    @Test
    void profile_update_keeps_fields_it_does_not_name_and_removes_labels_sent_as_null() throws Exception {
        agents().create(fresh("a1"));
        agents().updateProfile("a1", change(null, null, Map.of("version", "2", "zone", "eu")));
        Agent caps = agents().updateProfile("a1", change(null, List.of("go", "sql"), Map.of()))
                .orElseThrow();
        assertThat(caps.name()).isEqualTo("Agent a1");
        assertThat(caps.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("pool", "web", "version", "2", "zone", "eu"));
        Map<String, String> removeVersion = new HashMap<>();
        removeVersion.put("version", null);
        removeVersion.put("zone", "us");
        Agent removed =
                agents().updateProfile("a1", change(null, null, removeVersion)).orElseThrow();
        assertThat(removed.capabilities()).containsExactly("go", "sql");
        assertThat(removed.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("pool", "web", "zone", "us"));
        restart();
        assertThat(agents().find("a1")).contains(removed);
    }

    @Test
    void concurrent_changes_of_different_labels_all_take_effect() throws Exception {
        agents().create(fresh("a1"));
        Concurrently.run(16, i -> () -> agents().updateProfile("a1", change(null, null, Map.of("k" + i, "v" + i))));
        assertThat(agents().find("a1").orElseThrow().labels()).hasSize(17).containsEntry("k7", "v7");
    }

    @Test
    void a_change_that_would_exceed_the_label_limit_is_refused_and_changes_nothing() {
        agents().create(fresh("a1"));
        ProfileChange tooMany = new ProfileChange("New", null, Map.of("a", "1", "b", "2"), 2);
        assertThatThrownBy(() -> agents().updateProfile("a1", tooMany))
                .isInstanceOf(HubException.TooLarge.class)
                .hasMessageContaining("3 labels");
        assertThat(agents().find("a1")).contains(fresh("a1"));
    }

    private static ProfileChange change(String name, List<String> caps, Map<String, String> labels) {
        return new ProfileChange(name, caps, labels, 32);
    }

    @Test
    void a_disabled_agent_keeps_who_when_and_why_across_a_restart() throws Exception {
        Agent original = fresh("a1");
        agents().create(original);
        agents().create(fresh("a2"));
        clock.advance(Duration.ofSeconds(7));
        Disablement mark = new Disablement("admin", clock.instant(), "leaked token");
        Agent disabled = agents().disable("a1", mark).orElseThrow();
        assertThat(disabled.disabled()).isEqualTo(mark);
        assertThat(disabled)
                .usingRecursiveComparison()
                .ignoringFields("disabled")
                .isEqualTo(original);
        restart();
        assertThat(agents().find("a1").orElseThrow().disabled()).isEqualTo(mark);
        assertThat(agents().list())
                .extracting(Agent::id, Agent::disabled)
                .containsExactly(tuple("a1", mark), tuple("a2", null));
    }

    @Test
    void heartbeats_touches_transitions_and_profile_updates_keep_the_disabled_mark() {
        agents().create(fresh("a1"));
        Disablement mark = new Disablement("admin", clock.instant(), "compromised");
        agents().disable("a1", mark);
        clock.advance(Duration.ofSeconds(5));
        assertThat(agents().heartbeat("a1", AgentStatus.BUSY, "t", 1L, clock.instant())
                        .orElseThrow()
                        .agent()
                        .disabled())
                .isEqualTo(mark);
        agents().touch("a1", clock.instant().plusSeconds(1));
        Agent seen = agents().find("a1").orElseThrow();
        agents().transition("a1", Presence.ONLINE, seen.lastSeen(), Presence.STALE, clock.instant());
        assertThat(agents().updateProfile("a1", change("Renamed", List.of(), Map.of()))
                        .orElseThrow()
                        .disabled())
                .isEqualTo(mark);
        Agent after = agents().find("a1").orElseThrow();
        assertThat(after.presence()).isEqualTo(Presence.STALE);
        assertThat(after.disabled()).isEqualTo(mark);
    }

    @Test
    void enabling_clears_the_mark_and_disabling_again_replaces_it() {
        Agent original = fresh("a1");
        agents().create(original);
        assertThat(agents().enable("a1").orElseThrow().disabled())
                .as("enabling an enabled agent")
                .isNull();
        agents().disable("a1", new Disablement("admin", clock.instant(), "first"));
        clock.advance(Duration.ofMinutes(1));
        Disablement second = new Disablement("ops", clock.instant(), "");
        assertThat(agents().disable("a1", second).orElseThrow().disabled()).isEqualTo(second);
        Agent enabled = agents().enable("a1").orElseThrow();
        assertThat(enabled.disabled()).isNull();
        assertThat(enabled).isEqualTo(original);
        assertThat(agents().find("a1").orElseThrow().disabled()).isNull();
    }

    @Test
    void disabling_or_enabling_an_unknown_agent_creates_nothing() {
        assertThat(agents().disable("ghost", new Disablement("admin", clock.instant(), "x")))
                .isEmpty();
        assertThat(agents().enable("ghost")).isEmpty();
        assertThat(agents().find("ghost")).isEmpty();
        assertThat(agents().list()).isEmpty();
    }

    @Test
    void an_agent_created_disabled_keeps_its_mark() throws Exception {
        Instant t0 = clock.instant();
        Disablement mark = new Disablement("admin", t0.minusSeconds(60), "restored from a snapshot");
        Agent a = fresh("a1");
        Agent disabled = new Agent(
                a.id(),
                a.name(),
                a.role(),
                a.capabilities(),
                a.labels(),
                a.status(),
                a.currentTask(),
                a.contextTokens(),
                a.presence(),
                a.lastSeen(),
                a.presenceSince(),
                a.createdAt(),
                mark);
        assertThat(agents().create(disabled)).isTrue();
        restart();
        assertThat(agents().find("a1")).contains(disabled);
    }

    @Test
    void concurrent_disables_and_heartbeats_leave_one_whole_mark() throws Exception {
        agents().create(fresh("a1"));
        Instant t0 = clock.instant();
        List<Agent> results = Concurrently.run(
                32,
                i -> () -> i % 2 == 0
                        ? agents().disable("a1", new Disablement("admin-" + i, t0.plusSeconds(i), "reason-" + i))
                                .orElseThrow()
                        : agents().heartbeat("a1", AgentStatus.BUSY, "task-" + i, null, t0.plusSeconds(i))
                                .orElseThrow()
                                .agent());
        Disablement mark = agents().find("a1").orElseThrow().disabled();
        assertThat(mark).as("no heartbeat clears the mark").isNotNull();
        int writer = Integer.parseInt(mark.by().substring("admin-".length()));
        assertThat(mark)
                .as("by, at and reason come from one call")
                .isEqualTo(new Disablement("admin-" + writer, t0.plusSeconds(writer), "reason-" + writer));
        assertThat(results.get(writer).disabled()).isEqualTo(mark);
    }
}
