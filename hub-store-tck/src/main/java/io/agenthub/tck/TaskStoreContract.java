package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskEvent;
import io.agenthub.task.TaskState;
import io.agenthub.task.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The work-queue contract: claim order and matching, dependencies, resources leased with the claim or the task skipped,
 * retries with backoff until dead, stale tokens refused, expired claims requeued, and a claim race.
 */
public abstract class TaskStoreContract extends StoresContract {
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final TaskStore.Backoff BACKOFF =
            new TaskStore.Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static final TaskStore.Claimant ANY = claimant("alice", "default", List.of(), "");

    private TaskStore tasks() {
        return stores.tasks();
    }

    private static TaskStore.Claimant claimant(String id, String pool, List<String> caps, String version) {
        return new TaskStore.Claimant(id, pool, caps, version);
    }

    private static NewTask spec(String title) {
        return new NewTask(title, "body", 0, List.of(), "default", List.of(), "", List.of(), List.of(), null, 3);
    }

    private Task create(NewTask spec) {
        TaskStore.Created c = tasks().create(spec, "creator", clock.instant(), 1000);
        assertThat(c).isInstanceOf(TaskStore.Created.Stored.class);
        return ((TaskStore.Created.Stored) c).task();
    }

    private Task claim(TaskStore.Claimant who) {
        return tasks().claim(who, TTL, clock.instant(), 100).claimed();
    }

    @Test
    void created_task_is_queued_with_an_id_and_its_fields() {
        NewTask spec = new NewTask(
                "Fix the build",
                "details",
                5,
                List.of("bug"),
                "builders",
                List.of("java"),
                "v2",
                List.of("src/a.java"),
                List.of(),
                clock.instant().plus(Duration.ofHours(1)),
                4);
        Task t = create(spec);
        assertThat(t.id()).startsWith("t-");
        assertThat(t.state()).isEqualTo(TaskState.QUEUED);
        assertThat(t.spec()).isEqualTo(spec);
        assertThat(t.createdBy()).isEqualTo("creator");
        assertThat(t.attempts()).isZero();
        assertThat(t.claim()).isNull();
        assertThat(tasks().find(t.id())).contains(t);
        assertThat(tasks().history(t.id())).extracting(TaskEvent::kind).containsExactly("created");
        assertThat(tasks().pools()).containsExactly("builders");
    }

    @Test
    void claims_go_by_priority_then_age() {
        Task low = create(spec("low"));
        clock.advance(Duration.ofSeconds(1));
        Task high = create(new NewTask("high", "", 9, null, null, null, null, null, null, null, 3));
        clock.advance(Duration.ofSeconds(1));
        Task low2 = create(spec("low2"));
        assertThat(claim(ANY).id()).isEqualTo(high.id());
        assertThat(claim(ANY).id()).isEqualTo(low.id());
        assertThat(claim(ANY).id()).isEqualTo(low2.id());
        assertThat(claim(ANY)).isNull();
    }

    @Test
    void claim_carries_a_growing_token_ttl_and_counts_the_attempt() {
        create(spec("a"));
        create(spec("b"));
        Task first = claim(ANY);
        Task second = claim(ANY);
        assertThat(first.state()).isEqualTo(TaskState.CLAIMED);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.claim().holder()).isEqualTo("alice");
        assertThat(first.claim().expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(second.claim().token()).isGreaterThan(first.claim().token());
        Lease lease = ((Acquisition.Granted) stores.leases().tryAcquire("x", "bob", TTL, "", clock.instant())).lease();
        assertThat(lease.token()).isGreaterThan(second.claim().token());
    }

    @Test
    void only_matching_pool_capabilities_and_version_are_claimed() {
        Task needsJava = create(new NewTask("java", "", 0, null, "builders", List.of("java"), "", null, null, null, 3));
        Task needsV2 = create(new NewTask("v2", "", 0, null, "builders", null, "v2", null, null, null, 3));
        assertThat(claim(claimant("a", "default", List.of("java"), "v2"))).isNull();
        assertThat(claim(claimant("b", "builders", List.of("go"), "v1"))).isNull();
        assertThat(claim(claimant("c", "builders", List.of("go"), "v2")).id()).isEqualTo(needsV2.id());
        assertThat(claim(claimant("d", "builders", List.of("java", "go"), "v1")).id())
                .isEqualTo(needsJava.id());
    }

    @Test
    void dependent_task_waits_until_its_dependencies_are_done() {
        Task first = create(spec("first"));
        Task second = create(new NewTask("second", "", 50, null, null, null, null, null, List.of(first.id()), null, 3));
        assertThat(second.waitingOn()).isEqualTo(1);
        Task claimed = claim(ANY);
        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claim(ANY)).isNull();
        assertThat(tasks().complete(first.id(), "alice", claimed.claim().token(), "ok", clock.instant())
                        .applied())
                .isTrue();
        assertThat(tasks().find(second.id()).orElseThrow().waitingOn()).isZero();
        assertThat(claim(ANY).id()).isEqualTo(second.id());
    }

    @Test
    void missing_dependency_is_refused_and_nothing_stored() {
        TaskStore.Created c = tasks().create(
                        new NewTask("x", "", 0, null, null, null, null, null, List.of("t-999"), null, 3),
                        "creator",
                        clock.instant(),
                        100);
        assertThat(c).isEqualTo(new TaskStore.Created.MissingDependency("t-999"));
        assertThat(tasks().list(null, null, null, 0, 10, 100).tasks()).isEmpty();
    }

    @Test
    void full_pool_refuses_new_tasks() {
        tasks().create(spec("a"), "c", clock.instant(), 2);
        tasks().create(spec("b"), "c", clock.instant(), 2);
        assertThat(tasks().create(spec("c"), "c", clock.instant(), 2)).isEqualTo(new TaskStore.Created.PoolFull(2));
        TaskStore.QueueStats q = tasks().queue("default");
        assertThat(q.depth()).isEqualTo(2);
        assertThat(q.oldestCreatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void resources_are_leased_with_the_claim_or_the_task_is_skipped() {
        Task blocked = create(
                new NewTask("blocked", "", 10, null, null, null, null, List.of("src/", "docs/x.md"), null, null, 3));
        Task free = create(new NewTask("free", "", 0, null, null, null, null, List.of("lib/y"), null, null, 3));
        stores.leases().tryAcquire("src/main.java", "bob", TTL, "", clock.instant());

        Task claimed = claim(ANY);
        assertThat(claimed.id()).isEqualTo(free.id());
        assertThat(claimed.claim().leases()).hasSize(1);
        assertThat(stores.leases().heldBy("alice", clock.instant()))
                .extracting(Lease::resource)
                .containsExactly("lib/y");
        assertThat(tasks().find(blocked.id()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(stores.leases().overlapping("docs/x.md", clock.instant())).isEmpty();

        tasks().complete(free.id(), "alice", claimed.claim().token(), "done", clock.instant());
        assertThat(stores.leases().heldBy("alice", clock.instant())).isEmpty();
    }

    @Test
    void failure_retries_after_backoff_until_attempts_are_used_up_then_dead() {
        Task t = create(new NewTask("flaky", "", 0, null, null, null, null, null, null, null, 2));
        Task c1 = claim(ANY);
        TaskStore.Change f1 = tasks().fail(t.id(), "alice", c1.claim().token(), "boom", BACKOFF, clock.instant());
        assertThat(f1.applied()).isTrue();
        assertThat(f1.task().state()).isEqualTo(TaskState.FAILED);
        assertThat(f1.task().retryAt()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(tasks().queue("default").depth()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(9));
        assertThat(claim(ANY)).isNull();
        clock.advance(Duration.ofSeconds(1));
        Task c2 = claim(ANY);
        assertThat(c2.id()).isEqualTo(t.id());
        assertThat(c2.attempts()).isEqualTo(2);
        TaskStore.Change f2 = tasks().fail(t.id(), "alice", c2.claim().token(), "boom again", BACKOFF, clock.instant());
        assertThat(f2.task().state()).isEqualTo(TaskState.DEAD);
        assertThat(tasks().queue("default").depth()).isZero();
        assertThat(tasks().history(t.id()))
                .extracting(TaskEvent::kind)
                .containsExactly("created", "claimed", "failed", "retry", "claimed", "failed", "dead");
    }

    @Test
    void stale_token_is_refused_and_the_task_left_as_it_is() {
        create(spec("a"));
        Task c1 = claim(ANY);
        clock.advance(TTL);
        Task c2 = claim(claimant("bob", "default", List.of(), ""));
        assertThat(c2.id()).isEqualTo(c1.id());
        assertThat(c2.claim().token()).isGreaterThan(c1.claim().token());

        TaskStore.Change late = tasks().complete(c1.id(), "alice", c1.claim().token(), "mine", clock.instant());
        assertThat(late.applied()).isFalse();
        assertThat(late.task().claim().holder()).isEqualTo("bob");
        assertThat(tasks().renew(c1.id(), "alice", c1.claim().token(), TTL, clock.instant())
                        .applied())
                .isFalse();
        assertThat(tasks().fail(c1.id(), "bob", c1.claim().token(), "x", BACKOFF, clock.instant())
                        .applied())
                .isFalse();
        assertThat(tasks().complete(c1.id(), "bob", c2.claim().token(), "ok", clock.instant())
                        .applied())
                .isTrue();
    }

    @Test
    void expired_claim_is_requeued_with_its_attempt_counted_and_its_leases_released() {
        Task t = create(new NewTask("a", "", 0, null, null, null, null, List.of("f/1"), null, null, 2));
        Task c1 = claim(ANY);
        clock.advance(TTL.minusSeconds(1));
        Task renewed = tasks().renew(t.id(), "alice", c1.claim().token(), TTL, clock.instant())
                .task();
        assertThat(renewed.claim().expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(stores.leases().heldBy("alice", clock.instant()).getFirst().expiresAt())
                .isEqualTo(clock.instant().plus(TTL));
        clock.advance(TTL);

        List<Task> requeued = tasks().requeueExpired(clock.instant(), 10);
        assertThat(requeued).extracting(Task::id).containsExactly(t.id());
        assertThat(requeued.getFirst().state()).isEqualTo(TaskState.QUEUED);
        assertThat(requeued.getFirst().attempts()).isEqualTo(1);
        assertThat(tasks().claimedBy("alice")).isEmpty();

        Task c2 = claim(claimant("bob", "default", List.of(), ""));
        assertThat(c2.attempts()).isEqualTo(2);
        clock.advance(TTL);
        TaskStore.ClaimResult r = tasks().claim(ANY, TTL, clock.instant(), 100);
        assertThat(r.claimed()).isNull();
        assertThat(r.died()).extracting(Task::id).containsExactly(t.id());
        assertThat(tasks().find(t.id()).orElseThrow().state()).isEqualTo(TaskState.DEAD);
    }

    @Test
    void requeue_by_token_takes_a_disabled_agents_task_back() {
        create(spec("a"));
        Task c1 = claim(ANY);
        assertThat(tasks().claimedBy("alice")).extracting(Task::id).containsExactly(c1.id());
        assertThat(tasks().requeue(c1.id(), c1.claim().token() + 1, "x", clock.instant())
                        .applied())
                .isFalse();
        TaskStore.Change back = tasks().requeue(c1.id(), c1.claim().token(), "disabled", clock.instant());
        assertThat(back.applied()).isTrue();
        assertThat(back.task().state()).isEqualTo(TaskState.QUEUED);
        assertThat(claim(claimant("bob", "default", List.of(), "")).id()).isEqualTo(c1.id());
    }

    @Test
    void cancel_ends_a_task_and_is_refused_once_final() {
        Task t = create(spec("a"));
        TaskStore.Change c = tasks().cancel(t.id(), "creator", "not needed", clock.instant());
        assertThat(c.applied()).isTrue();
        assertThat(c.task().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(tasks().cancel(t.id(), "creator", "again", clock.instant()).applied())
                .isFalse();
        assertThat(claim(ANY)).isNull();
        assertThat(tasks().cancel("t-999", "creator", "", clock.instant()).task())
                .isNull();
    }

    @Test
    void passed_deadline_kills_an_unclaimed_task() {
        Task t = create(new NewTask(
                "soon",
                "",
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                clock.instant().plusSeconds(5),
                3));
        clock.advance(Duration.ofSeconds(5));
        TaskStore.ClaimResult r = tasks().claim(ANY, TTL, clock.instant(), 100);
        assertThat(r.claimed()).isNull();
        assertThat(r.died()).extracting(Task::id).containsExactly(t.id());
        assertThat(tasks().find(t.id()).orElseThrow().state()).isEqualTo(TaskState.DEAD);
    }

    @Test
    void list_filters_by_state_pool_and_label_with_cursors() {
        for (int i = 0; i < 5; i++) {
            create(new NewTask(
                    "t" + i,
                    "",
                    0,
                    List.of(i % 2 == 0 ? "even" : "odd"),
                    i < 3 ? "a" : "b",
                    null,
                    null,
                    null,
                    null,
                    null,
                    3));
        }
        TaskStore.Page first = tasks().list(null, null, null, 0, 2, 100);
        assertThat(first.tasks()).extracting(Task::title).containsExactly("t0", "t1");
        TaskStore.Page second = tasks().list(null, null, null, first.next(), 10, 100);
        assertThat(second.tasks()).extracting(Task::title).containsExactly("t2", "t3", "t4");
        assertThat(second.next()).isZero();
        assertThat(tasks().list(null, "a", "even", 0, 10, 100).tasks())
                .extracting(Task::title)
                .containsExactly("t0", "t2");
        assertThat(tasks().list(TaskState.CLAIMED, null, null, 0, 10, 100).tasks())
                .isEmpty();
        assertThat(tasks().queue("b").depth()).isEqualTo(2);
        assertThat(tasks().pools()).containsExactly("a", "b");
    }

    @Test
    void change_count_grows_with_creates_and_completions() {
        long before = tasks().changeCount();
        create(spec("a"));
        long afterCreate = tasks().changeCount();
        assertThat(afterCreate).isGreaterThan(before);
        Task c = claim(ANY);
        tasks().complete(c.id(), "alice", c.claim().token(), "", clock.instant());
        assertThat(tasks().changeCount()).isGreaterThan(afterCreate);
    }

    @Test
    void tasks_survive_a_restart() throws Exception {
        Task t = create(spec("a"));
        Task c = claim(ANY);
        restart();
        assertThat(tasks().find(t.id())).contains(c);
        assertThat(tasks().changeCount()).isPositive();
    }

    @Test
    void thirty_two_claimers_take_a_thousand_tasks_each_exactly_once() throws Exception {
        for (int i = 0; i < 1000; i++) {
            create(new NewTask("t" + i, "", i % 7, null, null, null, null, null, null, null, 3));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Integer> counts = Race.run(32, index -> {
            TaskStore.Claimant who = claimant("agent-" + index, "default", List.of(), "");
            int n = 0;
            while (true) {
                Task t = tasks().claim(who, TTL, clock.instant(), 100).claimed();
                if (t == null) {
                    return n;
                }
                if (!seen.add(t.id())) {
                    throw new AssertionError(t.id() + " claimed twice");
                }
                assertThat(tasks().complete(t.id(), who.agentId(), t.claim().token(), "", clock.instant())
                                .applied())
                        .isTrue();
                n++;
            }
        });
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        assertThat(seen).hasSize(1000);
        assertThat(tasks().list(TaskState.DONE, null, null, 0, 200, 1000).tasks())
                .hasSize(200);
        assertThat(tasks().queue("default").depth()).isZero();
        List<Long> tokens = new ArrayList<>();
        for (String id : new HashSet<>(seen)) {
            tokens.add(tasks().find(id).orElseThrow().claim().token());
        }
        assertThat(new HashSet<>(tokens)).hasSize(1000);
    }

    @Test
    void busy_agents_are_the_holders_of_active_claims_by_pool() {
        create(spec("a"));
        create(spec("b"));
        create(new NewTask("c", "", 0, List.of(), "builders", List.of(), "", List.of(), List.of(), null, 3));
        Task a = claim(ANY);
        claim(claimant("bob", "default", List.of(), ""));
        claim(claimant("carol", "builders", List.of(), ""));
        assertThat(tasks().busyAgents(clock.instant(), 100))
                .containsOnlyKeys("default", "builders")
                .containsEntry("default", Set.of("alice", "bob"))
                .containsEntry("builders", Set.of("carol"));

        tasks().complete(a.id(), "alice", a.claim().token(), "", clock.instant());
        assertThat(tasks().busyAgents(clock.instant(), 100)).containsEntry("default", Set.of("bob"));

        clock.advance(TTL.plusSeconds(1));
        assertThat(tasks().busyAgents(clock.instant(), 100)).isEmpty();
    }

    @Test
    void pools_are_listed_once_each_in_name_order() {
        for (String pool : List.of("zeta", "alpha", "zeta", "mid", "alpha")) {
            create(new NewTask("t", "", 0, List.of(), pool, List.of(), "", List.of(), List.of(), null, 3));
        }
        assertThat(tasks().pools()).containsExactly("alpha", "mid", "zeta");
    }

    private Task done(String title) {
        create(spec(title));
        Task c = claim(ANY);
        return tasks().complete(c.id(), "alice", c.claim().token(), "ok", clock.instant())
                .task();
    }

    @Test
    void retention_forgets_only_final_tasks_that_ended_before_the_cut_with_their_history() {
        java.time.Instant start = clock.instant();
        Task done = done("done");
        Task cancelled = tasks().cancel(create(spec("cancelled")).id(), "creator", "no", clock.instant())
                .task();
        create(new NewTask("dies", "", 0, List.of(), "default", List.of(), "", List.of(), List.of(), null, 1));
        Task dying = claim(ANY);
        Task dead = tasks().fail(dying.id(), "alice", dying.claim().token(), "boom", BACKOFF, clock.instant())
                .task();
        assertThat(dead.state()).isEqualTo(TaskState.DEAD);
        create(spec("retrying"));
        Task retrying = claim(ANY);
        TaskStore.Backoff hourly = new TaskStore.Backoff(Duration.ofHours(1), Duration.ofHours(1));
        tasks().fail(retrying.id(), "alice", retrying.claim().token(), "again", hourly, clock.instant());
        create(spec("claimed"));
        Task claimed =
                tasks().claim(ANY, Duration.ofHours(1), clock.instant(), 100).claimed();
        Task queued = create(spec("queued"));
        clock.advance(Duration.ofMinutes(10));
        create(new NewTask("recent", "", 0, List.of(), "late", List.of(), "", List.of(), List.of(), null, 3));
        Task late = claim(claimant("alice", "late", List.of(), ""));
        Task recent = tasks().complete(late.id(), "alice", late.claim().token(), "ok", clock.instant())
                .task();
        clock.advance(Duration.ofMinutes(10));

        assertThat(tasks().purgeEndedBefore(start.plus(Duration.ofMinutes(5)))).isEqualTo(3);

        for (Task gone : List.of(done, cancelled, dead)) {
            assertThat(tasks().find(gone.id())).isEmpty();
            assertThat(tasks().history(gone.id())).isEmpty();
        }
        for (Task kept : List.of(retrying, claimed, queued, recent)) {
            assertThat(tasks().find(kept.id())).isPresent();
            assertThat(tasks().history(kept.id())).isNotEmpty();
        }
        assertThat(tasks().find(retrying.id()).orElseThrow().state()).isEqualTo(TaskState.FAILED);
        assertThat(tasks().find(claimed.id()).orElseThrow().state()).isEqualTo(TaskState.CLAIMED);
        assertThat(tasks().list(null, null, null, 0, 100, 1000).tasks())
                .extracting(Task::id)
                .containsExactly(retrying.id(), claimed.id(), queued.id(), recent.id());
        assertThat(tasks().purgeEndedBefore(start.plus(Duration.ofMinutes(5)))).isZero();
        // Numbers are never reused after a purge.
        assertThat(Task.number(create(spec("next")).id())).isGreaterThan(Task.number(recent.id()));
        assertThat(tasks().purgeEndedBefore(clock.instant())).isEqualTo(1);
        assertThat(tasks().find(recent.id())).isEmpty();
    }

    @Test
    void retention_steps_are_bounded_and_take_the_earliest_ended_first() {
        List<Task> ended = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ended.add(done("t" + i));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(tasks().purgeEndedBefore(clock.instant(), 2)).isEqualTo(2);
        assertThat(tasks().find(ended.get(0).id())).isEmpty();
        assertThat(tasks().find(ended.get(1).id())).isEmpty();
        assertThat(tasks().find(ended.get(2).id())).isPresent();
        assertThat(tasks().purgeEndedBefore(clock.instant(), 2)).isEqualTo(2);
        assertThat(tasks().purgeEndedBefore(clock.instant(), 2)).isEqualTo(1);
        assertThat(tasks().purgeEndedBefore(clock.instant(), 2)).isZero();
    }

    @Test
    void a_task_waiting_on_a_forgotten_dependency_keeps_its_count_and_a_new_one_cannot_name_it() {
        Task first = create(spec("first"));
        Task after = create(new NewTask(
                "after", "", 0, List.of(), "default", List.of(), "", List.of(), List.of(first.id()), null, 3));
        Task c = claim(ANY);
        assertThat(c.id()).isEqualTo(first.id());
        tasks().complete(c.id(), "alice", c.claim().token(), "ok", clock.instant());
        clock.advance(Duration.ofMinutes(1));

        assertThat(tasks().purgeEndedBefore(clock.instant())).isEqualTo(1);

        assertThat(tasks().find(after.id()).orElseThrow().waitingOn()).isZero();
        Task next = claim(ANY);
        assertThat(next.id()).isEqualTo(after.id());
        NewTask naming = new NewTask(
                "late", "", 0, List.of(), "default", List.of(), "", List.of(), List.of(first.id()), null, 3);
        assertThat(tasks().create(naming, "creator", clock.instant(), 1000))
                .isEqualTo(new TaskStore.Created.MissingDependency(first.id()));
        tasks().complete(next.id(), "alice", next.claim().token(), "ok", clock.instant());
        clock.advance(Duration.ofMinutes(1));
        assertThat(tasks().purgeEndedBefore(clock.instant())).isEqualTo(1);
        assertThat(tasks().find(after.id())).isEmpty();
    }
}
