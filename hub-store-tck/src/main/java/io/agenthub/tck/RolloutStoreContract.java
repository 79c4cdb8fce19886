package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.rollout.Rollout;
import io.agenthub.rollout.RolloutStore;
import io.agenthub.rollout.RolloutStore.Counts;
import io.agenthub.rollout.RolloutStore.Outcome;
import io.agenthub.rollout.RolloutStore.Side;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rollout contract: one rollout per pool replaced by compare-and-set on its revision, outcome counters per window
 * and side, and the work queue's side of routing (the split of new tasks and the rerouting of queued ones).
 */
public abstract class RolloutStoreContract extends StoresContract {
    private RolloutStore rollouts() {
        return stores.rollouts();
    }

    private Rollout canary(String pool, long window) {
        Instant now = clock.instant();
        return new Rollout(
                pool,
                Rollout.Strategy.CANARY,
                Rollout.Stage.RUNNING,
                "v1",
                "v2",
                List.of(10, 50, 100),
                0,
                10,
                Duration.ofHours(1),
                0.05,
                1.5,
                window,
                now,
                "",
                "admin",
                now,
                now,
                0,
                List.of(new Rollout.Decision(now, "admin", "start", "canary v2")));
    }

    @Test
    void save_is_a_compare_and_set_on_the_revision_and_survives_a_restart() throws Exception {
        assertThat(rollouts().find("p")).isEmpty();
        Rollout first = rollouts().save(canary("p", 1), 0).orElseThrow();
        assertThat(first.revision()).isEqualTo(1);
        assertThat(rollouts().save(canary("p", 1), 0)).isEmpty();
        Rollout paused = first.next(Rollout.Stage.PAUSED, 10, clock.instant(), "admin", "pause", "");
        Rollout second = rollouts().save(paused, 1).orElseThrow();
        assertThat(second.revision()).isEqualTo(2);
        assertThat(rollouts().save(paused, 1)).isEmpty();
        rollouts().save(canary("a", 1), 0).orElseThrow();
        restart();
        assertThat(rollouts().find("p")).contains(second);
        assertThat(rollouts().list()).extracting(Rollout::pool).containsExactly("a", "p");
        assertThat(rollouts().find("p").orElseThrow().log()).hasSize(2);
    }

    @Test
    void delete_removes_the_rollout_and_its_counters_only_at_the_expected_revision() {
        Rollout r = rollouts().save(canary("p", 1), 0).orElseThrow();
        rollouts().count("p", 1, Side.CANDIDATE, Outcome.COMPLETED, 10);
        assertThat(rollouts().delete("p", 2)).isFalse();
        assertThat(rollouts().delete("p", r.revision())).isTrue();
        assertThat(rollouts().find("p")).isEmpty();
        assertThat(rollouts().delete("p", r.revision())).isFalse();
        assertThat(rollouts().health("p", 1).candidate()).isEqualTo(Counts.ZERO);
        assertThat(rollouts().save(canary("p", 1), 0))
                .as("a new rollout starts from revision 0")
                .isPresent();
        assertThat(rollouts().health("p", 1).candidate()).isEqualTo(Counts.ZERO);
    }

    @Test
    void exactly_one_of_concurrent_saves_with_the_same_revision_wins() throws Exception {
        Rollout base = rollouts().save(canary("p", 1), 0).orElseThrow();
        List<Optional<Rollout>> results = Race.run(
                32,
                i -> rollouts()
                        .save(base.next(Rollout.Stage.PAUSED, 10, clock.instant(), "node-" + i, "pause", ""), 1));
        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
        assertThat(rollouts().find("p").orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    void outcomes_count_per_side_in_the_current_window_only() throws Exception {
        Rollout r = rollouts().save(canary("p", 1), 0).orElseThrow();
        rollouts().count("p", 1, Side.CANDIDATE, Outcome.COMPLETED, 100);
        rollouts().count("p", 1, Side.CANDIDATE, Outcome.FAILED, 300);
        rollouts().count("p", 1, Side.CANDIDATE, Outcome.ERROR_REPORT, 0);
        rollouts().count("p", 1, Side.BASELINE, Outcome.COMPLETED, 50);
        rollouts().count("p", 7, Side.BASELINE, Outcome.COMPLETED, 50);
        rollouts().count("other", 1, Side.BASELINE, Outcome.COMPLETED, 50);
        RolloutStore.Health h = rollouts().health("p", 1);
        assertThat(h.candidate()).isEqualTo(new Counts(1, 1, 1, 400));
        assertThat(h.baseline()).isEqualTo(new Counts(1, 0, 0, 50));
        assertThat(h.candidate().errorRate()).isEqualTo(1.0);
        assertThat(rollouts().health("other", 1).baseline()).isEqualTo(Counts.ZERO);

        Rollout stepped = rollouts().save(r.atStep(1, clock.instant()), 1).orElseThrow();
        assertThat(stepped.window()).isEqualTo(2);
        assertThat(rollouts().health("p", 1)).isEqualTo(new RolloutStore.Health(Counts.ZERO, Counts.ZERO));
        rollouts().count("p", 1, Side.CANDIDATE, Outcome.FAILED, 10);
        rollouts().count("p", 2, Side.CANDIDATE, Outcome.COMPLETED, 10);
        assertThat(rollouts().health("p", 2).candidate()).isEqualTo(new Counts(1, 0, 0, 10));
    }

    @Test
    void concurrent_counts_are_not_lost() throws Exception {
        rollouts().save(canary("p", 1), 0).orElseThrow();
        Race.run(32, i -> {
            rollouts().count("p", 1, Side.CANDIDATE, Outcome.COMPLETED, 10);
            return null;
        });
        assertThat(rollouts().health("p", 1).candidate()).isEqualTo(new Counts(32, 0, 0, 320));
    }

    private static NewTask task(String pool, String version, List<String> labels) {
        return new NewTask("t", "", 0, labels, pool, List.of(), version, List.of(), List.of(), null, 3);
    }

    private Task create(NewTask spec, TaskStore.Split split) {
        TaskStore.Created c = stores.tasks().create(spec, "creator", clock.instant(), 10_000, split);
        return ((TaskStore.Created.Stored) c).task();
    }

    @Test
    void a_split_of_ten_percent_routes_exactly_a_tenth_of_a_pools_new_tasks() {
        List<Task> made = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            made.add(create(task("p", "v1", List.of("routed")), new TaskStore.Split("v2", 10)));
            if (i % 3 == 0) {
                // Another pool's tasks in between take ids but not the pool's split numbers.
                create(task("q", "v1", List.of("routed")), new TaskStore.Split("v2", 50));
            }
        }
        assertThat(made.stream().filter(t -> t.version().equals("v2"))).hasSize(100);
        for (int run = 0; run < 10; run++) {
            assertThat(made.subList(run * 100, run * 100 + 100).stream()
                            .filter(t -> t.version().equals("v2")))
                    .as("every run of 100 consecutive tasks")
                    .hasSize(10);
        }
        assertThat(made.subList(0, 20).stream().filter(t -> t.version().equals("v2")))
                .as("the canary's tasks are spread, not the first ones")
                .hasSizeBetween(1, 3);
        assertThat(stores.tasks().find(made.get(0).id()).orElseThrow().version())
                .isEqualTo(made.get(0).version());
        assertThat(create(task("p", "v1", List.of()), null).version()).isEqualTo("v1");
    }

    @Test
    void reroute_moves_only_queued_routed_production_tasks_of_the_version() {
        Task routed = create(task("p", "v2", List.of("routed")), null);
        Task test = create(task("p", "v2", List.of("routed", "test")), null);
        Task pinned = create(task("p", "v2", List.of()), null);
        Task baseline = create(task("p", "v1", List.of("routed")), null);
        Task otherPool = create(task("q", "v2", List.of("routed")), null);
        Task claimed = create(task("p", "v2", List.of("routed", "x")), null);
        Task taken = stores.tasks()
                .claim(new TaskStore.Claimant("a", "p", List.of(), "v2"), Duration.ofMinutes(1), clock.instant(), 100)
                .claimed();
        assertThat(taken.id()).isEqualTo(routed.id());
        // The claimed one is now `routed`; claim the rest of the v2 ones that should stay put after.
        int moved = stores.tasks().reroute("p", "v2", "v1", 100);
        assertThat(moved).isEqualTo(1);
        assertThat(stores.tasks().find(claimed.id()).orElseThrow().version()).isEqualTo("v1");
        assertThat(stores.tasks().find(routed.id()).orElseThrow().version()).isEqualTo("v2");
        assertThat(stores.tasks().find(test.id()).orElseThrow().version()).isEqualTo("v2");
        assertThat(stores.tasks().find(pinned.id()).orElseThrow().version()).isEqualTo("v2");
        assertThat(stores.tasks().find(baseline.id()).orElseThrow().version()).isEqualTo("v1");
        assertThat(stores.tasks().find(otherPool.id()).orElseThrow().version()).isEqualTo("v2");
        Task next = stores.tasks()
                .claim(new TaskStore.Claimant("b", "p", List.of(), "v1"), Duration.ofMinutes(1), clock.instant(), 100)
                .claimed();
        assertThat(next.id()).isEqualTo(baseline.id());
        Task after = stores.tasks()
                .claim(new TaskStore.Claimant("b", "p", List.of(), "v1"), Duration.ofMinutes(1), clock.instant(), 100)
                .claimed();
        assertThat(after.id()).as("the rerouted task is claimable by v1").isEqualTo(claimed.id());
    }
}
