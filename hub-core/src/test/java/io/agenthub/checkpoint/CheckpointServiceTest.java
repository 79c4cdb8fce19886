package io.agenthub.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointServiceTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Principal ALICE = new Principal("alice", Role.AGENT);
    private static final Principal BOB = new Principal("bob", Role.AGENT);
    private static final Principal ADMIN = new Principal(Principal.ADMIN_ID, Role.ADMIN);
    private static final Principal VIEWER = new Principal("dashboard", Role.VIEWER);

    private final FakeCheckpointStore store = new FakeCheckpointStore();
    private final CheckpointService service =
            new CheckpointService(store, CheckpointPolicy.defaults(), InstantSource.fixed(NOW));

    private static CheckpointData data(String task) {
        return new CheckpointData(task, "progress", List.of("d"), List.of(), List.of("p"), List.of("f"), "ctx", 10);
    }

    private static CheckpointData withContext(String context) {
        return new CheckpointData("t", "", null, null, null, null, context, 0);
    }

    private static CheckpointData withDecisions(List<String> decisions) {
        return new CheckpointData("t", "", decisions, null, null, null, "", 0);
    }

    @Test
    void checkpoint_is_saved_under_the_callers_own_id_at_the_hub_time() {
        Checkpoint saved = service.save(ALICE, data("task"));
        assertThat(saved.agentId()).isEqualTo("alice");
        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.createdAt()).isEqualTo(NOW);
        assertThat(service.save(ALICE, data("next")).version()).isEqualTo(2);
        assertThat(service.latest(ALICE))
                .hasValueSatisfying(c -> assertThat(c.currentTask()).isEqualTo("next"));
        assertThat(service.latest(BOB)).isEmpty();
    }

    @Test
    void viewers_cannot_save() {
        assertThatThrownBy(() -> service.save(VIEWER, data("t"))).isInstanceOf(HubException.Forbidden.class);
    }

    @Test
    void a_missing_body_is_an_invalid_request() {
        assertThatThrownBy(() -> service.save(ALICE, null)).isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void context_up_to_64_kib_is_accepted_and_larger_is_too_large() {
        service.save(ALICE, withContext("c".repeat(64 * 1024)));
        assertThatThrownBy(() -> service.save(ALICE, withContext("c".repeat(64 * 1024 + 1))))
                .isInstanceOf(HubException.TooLarge.class)
                .hasMessageContaining("context");
    }

    @Test
    void lists_hold_at_most_100_items_of_at_most_2_kib_each() {
        service.save(ALICE, withDecisions(Collections.nCopies(100, "d".repeat(2048))));
        assertThatThrownBy(() -> service.save(ALICE, withDecisions(Collections.nCopies(101, "d"))))
                .isInstanceOf(HubException.TooLarge.class)
                .hasMessageContaining("decisions");
        assertThatThrownBy(() -> service.save(ALICE, withDecisions(List.of("d".repeat(2049)))))
                .isInstanceOf(HubException.TooLarge.class);
        assertThatThrownBy(() -> service.save(
                        ALICE, new CheckpointData("t", "", null, null, null, List.of("\u00e9".repeat(1025)), "", 0)))
                .as("the item limit is in bytes")
                .isInstanceOf(HubException.TooLarge.class)
                .hasMessageContaining("filesTouched");
        assertThatThrownBy(() -> service.save(ALICE, withDecisions(Arrays.asList("a", null))))
                .isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void negative_context_tokens_are_refused() {
        assertThatThrownBy(() -> service.save(ALICE, new CheckpointData("t", "", null, null, null, null, "", -1)))
                .isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void saving_keeps_the_newest_20_versions_by_default() {
        for (int i = 0; i < 25; i++) {
            service.save(ALICE, data("t" + i));
        }
        assertThat(store.lastKeep).isEqualTo(20);
        assertThat(service.versions(ALICE, null))
                .hasSize(20)
                .first()
                .satisfies(c -> assertThat(c.version()).isEqualTo(25));
        assertThat(service.versions(ALICE, 3)).extracting(Checkpoint::version).containsExactly(25L, 24L, 23L);
    }

    @Test
    void agents_read_only_their_own_checkpoints() {
        service.save(ALICE, data("secret"));
        assertThatThrownBy(() -> service.latest(BOB, "alice")).isInstanceOf(HubException.Forbidden.class);
        assertThatThrownBy(() -> service.versions(BOB, "alice", null)).isInstanceOf(HubException.Forbidden.class);
        assertThatThrownBy(() -> service.get(BOB, "alice", 1)).isInstanceOf(HubException.Forbidden.class);
        assertThatThrownBy(() -> service.latest(VIEWER, "alice")).isInstanceOf(HubException.Forbidden.class);
        assertThat(service.latest(ALICE, "alice")).isPresent();
        assertThat(service.get(ALICE, 1).currentTask()).isEqualTo("secret");
    }

    @Test
    void admins_may_read_any_agents_checkpoints_by_naming_it() {
        service.save(ALICE, data("task"));
        assertThat(service.latest(ADMIN, "alice")).isPresent();
        assertThat(service.versions(ADMIN, "alice", 10)).hasSize(1);
        assertThat(service.get(ADMIN, "alice", 1).agentId()).isEqualTo("alice");
        assertThat(service.latest(ADMIN)).as("the admin's own").isEmpty();
        assertThatThrownBy(() -> service.latest(ADMIN, "not a valid id"))
                .isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void an_unknown_version_is_not_found_and_limits_are_checked() {
        service.save(ALICE, data("t"));
        assertThatThrownBy(() -> service.get(ALICE, 2)).isInstanceOf(HubException.NotFound.class);
        assertThatThrownBy(() -> service.get(ALICE, 0)).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> service.versions(ALICE, 0)).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> service.versions(ALICE, 101)).isInstanceOf(HubException.InvalidRequest.class);
    }
}
