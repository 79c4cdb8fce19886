package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.AgentService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.message.Message;
import io.agenthub.rollout.Rollout;
import io.agenthub.rollout.RolloutService;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.services.Services;
import io.agenthub.store.Stores;
import io.agenthub.store.redis.LocalRedisServer;
import io.agenthub.store.redis.RedisStores;
import io.agenthub.store.sqlite.SqliteStores;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskState;
import io.agenthub.tck.MutableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Canary and blue-green rollouts driven with a fake clock and simulated agents, on the hub's services over each
 * backend (the hub on Redis reads Redis's clock, so this is not driven over HTTP). One call of {@code evaluate()} is
 * one evaluation interval.
 */
class RolloutFlowTest {
    private static final String ADMIN = "rollout-flow-test-admin-token-0123";
    private static final String POOL = "writers";

    enum Backend {
        SQLITE,
        REDIS
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T09:00:00Z"));
    private Stores stores;
    private Services hub;
    private Principal admin;

    private void open(Backend backend) throws Exception {
        stores = switch (backend) {
            case SQLITE -> SqliteStores.open(Files.createTempDirectory("rollout-flow"), false);
            case REDIS -> {
                LocalRedisServer redis = LocalRedisServer.shared();
                yield RedisStores.open(redis.url(), redis.freshPrefix(), Duration.ofSeconds(5));
            }
        };
        hub = new Services(
                stores,
                HubConfig.of(Map.of("task-events-channel", "")),
                clock,
                ADMIN,
                new HubMetrics(false),
                List.of());
        admin = hub.auth.authenticate(ADMIN);
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private Principal agent(String id, String version) {
        AgentService.Registered r = hub.agents.register(
                admin,
                id,
                Role.AGENT,
                new AgentService.Profile(id, List.of(), Map.of("pool", POOL, "version", version)));
        return hub.auth.authenticate(r.token());
    }

    private List<Task> create(int n, String... labels) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(hub.tasks.create(
                    admin,
                    new NewTask(
                            "job " + i, "", 0, List.of(labels), POOL, List.of(), "", List.of(), List.of(), null, 0)));
        }
        return out;
    }

    /**
     * The agent claims until nothing is left for it; each task takes {@code took} of the clock, and then the agent
     * completes it (or fails it when {@code fails}). Returns how many it took.
     */
    private int work(Principal agent, Duration took, boolean fails) {
        int n = 0;
        while (true) {
            Optional<Task> t = hub.tasks.claim(agent, null, Duration.ZERO);
            if (t.isEmpty()) {
                return n;
            }
            n++;
            clock.advance(took);
            long token = t.get().claim().token();
            if (fails) {
                hub.tasks.fail(agent, t.get().id(), token, "the new prompt breaks the parser");
            } else {
                hub.tasks.complete(agent, t.get().id(), token, "ok");
            }
        }
    }

    private List<String> ops() {
        return hub.messages.recent(hub.opsChannel(), 100).stream()
                .map(Message::text)
                .toList();
    }

    private List<String> audited() {
        return hub.audit.list(0, 500).stream().map(e -> e.action()).toList();
    }

    private Rollout.Stage stage() {
        return hub.rollouts.get(POOL).rollout().stage();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void a_healthy_canary_moves_through_its_steps_to_one_hundred_percent(Backend backend) throws Exception {
        open(backend);
        Principal old1 = agent("old-1", "v1");
        Principal old2 = agent("old-2", "v1");
        Principal canary = agent("new-1", "v2");
        Rollout started = hub.rollouts.canary(
                admin,
                POOL,
                new RolloutService.CanaryRequest("v2", null, List.of(10, 50, 100), Duration.ofHours(24), 0.05, 1.5));
        assertThat(started.baseline()).as("the pool's agents' version").isEqualTo("v1");
        assertThat(started.weight()).isEqualTo(10);

        // Step 1: 10 % of 100 new tasks, exactly, go to the canary.
        List<Task> first = create(100);
        assertThat(first.stream().filter(t -> t.version().equals("v2"))).hasSize(10);
        assertThat(first).allSatisfy(t -> assertThat(t.labels()).contains("routed"));
        assertThat(work(canary, Duration.ofSeconds(11), false)).isEqualTo(10);
        assertThat(work(old1, Duration.ofSeconds(10), false) + work(old2, Duration.ofSeconds(10), false))
                .isEqualTo(90);
        assertThat(hub.rollouts.evaluate())
                .as("healthy but the hold is not over")
                .isEmpty();
        RolloutService.View view = hub.rollouts.get(POOL);
        assertThat(view.health().candidate().completed()).isEqualTo(10);
        assertThat(view.health().baseline().completed()).isEqualTo(90);
        assertThat(view.health().candidate().meanDurationMs()).isEqualTo(11_000);

        clock.advance(Duration.ofHours(24));
        assertThat(hub.rollouts.evaluate()).hasSize(1);
        assertThat(hub.rollouts.get(POOL).rollout().weight()).isEqualTo(50);
        assertThat(hub.rollouts.get(POOL).health().candidate().attempts())
                .as("a new step counts afresh")
                .isZero();

        List<Task> second = create(100);
        assertThat(second.stream().filter(t -> t.version().equals("v2"))).hasSize(50);
        work(canary, Duration.ofSeconds(11), false);
        work(old1, Duration.ofSeconds(10), false);
        clock.advance(Duration.ofHours(24));
        hub.rollouts.evaluate();

        Rollout done = hub.rollouts.get(POOL).rollout();
        assertThat(done.stage()).isEqualTo(Rollout.Stage.PROMOTED);
        assertThat(done.weight()).isEqualTo(100);
        assertThat(create(10)).allSatisfy(t -> assertThat(t.version()).isEqualTo("v2"));
        assertThat(done.log()).extracting(Rollout.Decision::action).containsExactly("start", "step", "promote");
        assertThat(audited()).contains("rollout.canary", "rollout.step", "rollout.promote");
        assertThat(ops()).anySatisfy(m -> assertThat(m).contains("promoted"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void a_canary_whose_tasks_fail_above_the_threshold_is_rolled_back_within_one_evaluation(Backend backend)
            throws Exception {
        open(backend);
        Principal old1 = agent("old-1", "v1");
        Principal canary = agent("new-1", "v2");
        hub.rollouts.canary(
                admin, POOL, new RolloutService.CanaryRequest("v2", null, null, Duration.ofHours(24), 0.05, null));
        create(100);
        // Quicker than the retry backoff (10 s), so that the canary meets each task once.
        assertThat(work(canary, Duration.ofMillis(500), true)).isEqualTo(10);
        work(old1, Duration.ofMillis(500), false);

        List<Rollout> decided = hub.rollouts.evaluate();
        assertThat(decided).hasSize(1);
        Rollout r = hub.rollouts.get(POOL).rollout();
        assertThat(r.stage()).isEqualTo(Rollout.Stage.ROLLED_BACK);
        assertThat(r.weight()).isZero();
        assertThat(r.log().getLast().action()).isEqualTo("auto-rollback");
        assertThat(r.log().getLast().detail()).contains("error rate 100.0% above 5.0%");
        assertThat(audited()).contains("rollout.auto-rollback");
        assertThat(ops()).anySatisfy(m -> assertThat(m).contains("rolled back automatically"));
        assertThat(hub.errors.issues(null, null, 50))
                .as("the rollback raised an alert in the errors tool")
                .anySatisfy(i -> assertThat(i.title()).contains("Rollout rolled back"));

        // The canary's failed tasks, queued again for their retry, now belong to the baseline; new tasks all go there.
        List<Task> waiting = hub.tasks.list("queued", POOL, null, 0, 200).tasks();
        assertThat(waiting).hasSize(10).allSatisfy(t -> assertThat(t.version()).isEqualTo("v1"));
        assertThat(work(old1, Duration.ofMillis(500), false)).isEqualTo(10);
        assertThat(create(20)).allSatisfy(t -> assertThat(t.version()).isEqualTo("v1"));
        assertThat(hub.rollouts.evaluate()).as("decided once").isEmpty();
        assertThatThrownBy(() -> hub.rollouts.rollback(admin, POOL, null)).isInstanceOf(HubException.Conflict.class);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void operators_pause_resume_and_promote_a_canary_and_a_paused_one_is_not_judged(Backend backend) throws Exception {
        open(backend);
        Principal canary = agent("new-1", "v2");
        agent("old-1", "v1");
        hub.rollouts.canary(
                admin, POOL, new RolloutService.CanaryRequest("v2", null, null, Duration.ofMinutes(1), null, null));
        hub.rollouts.pause(admin, POOL);
        create(100);
        work(canary, Duration.ofSeconds(1), true);
        clock.advance(Duration.ofHours(1));
        assertThat(hub.rollouts.evaluate()).isEmpty();
        assertThat(stage()).isEqualTo(Rollout.Stage.PAUSED);
        hub.rollouts.resume(admin, POOL);
        assertThat(hub.rollouts.get(POOL).health().candidate().attempts())
                .as("resuming observes afresh")
                .isZero();
        hub.rollouts.promote(admin, POOL);
        assertThat(stage()).isEqualTo(Rollout.Stage.PROMOTED);
        Rollout next =
                hub.rollouts.canary(admin, POOL, new RolloutService.CanaryRequest("v3", null, null, null, null, null));
        assertThat(next.baseline())
                .as("the promoted version is the next baseline")
                .isEqualTo("v2");
        assertThatThrownBy(() -> hub.rollouts.canary(
                        admin, POOL, new RolloutService.CanaryRequest("v4", null, null, null, null, null)))
                .isInstanceOf(HubException.Conflict.class)
                .hasMessageContaining("promote, switch or roll it back first");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void blue_green_tests_green_switches_production_in_one_step_and_rolls_back_to_blue(Backend backend)
            throws Exception {
        open(backend);
        Principal blue = agent("blue-1", "v1");
        Principal green = agent("green-1", "v2");
        hub.rollouts.blueGreen(admin, POOL, "v2", null);
        create(5, "test");
        create(5);
        assertThat(work(blue, Duration.ofSeconds(1), false))
                .as("blue gets production only")
                .isEqualTo(5);
        assertThatThrownBy(() -> hub.rollouts.switchToGreen(admin, POOL, false))
                .hasMessageContaining("verify green first");
        assertThat(work(green, Duration.ofSeconds(1), false))
                .as("green gets the test tasks only")
                .isEqualTo(5);
        Rollout verified = hub.rollouts.verify(admin, POOL);
        assertThat(verified.stage()).isEqualTo(Rollout.Stage.VERIFIED);
        assertThat(verified.verification()).startsWith("passed: 5 test task(s) completed, 0 failed");

        hub.rollouts.switchToGreen(admin, POOL, false);
        create(5);
        assertThat(work(blue, Duration.ofSeconds(1), false))
                .as("blue is warm but idle")
                .isZero();
        assertThat(work(green, Duration.ofSeconds(1), false)).isEqualTo(5);

        List<Task> queued = create(3);
        Rollout back = hub.rollouts.rollback(admin, POOL, "green answers in the wrong language");
        assertThat(back.stage()).isEqualTo(Rollout.Stage.ROLLED_BACK);
        assertThat(queued)
                .allSatisfy(
                        t -> assertThat(hub.tasks.get(t.id()).task().version()).isEqualTo("v1"));
        assertThat(work(green, Duration.ofSeconds(1), false)).isZero();
        assertThat(work(blue, Duration.ofSeconds(1), false))
                .as("blue takes the queued tasks back")
                .isEqualTo(3);
        assertThat(audited()).contains("rollout.bluegreen", "rollout.verify", "rollout.switch", "rollout.rollback");
        assertThat(ops()).anySatisfy(m -> assertThat(m).contains("production now goes to green v2"));
        assertThat(hub.tasks.list(null, POOL, null, 0, 200).tasks())
                .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.DONE));
    }
}
