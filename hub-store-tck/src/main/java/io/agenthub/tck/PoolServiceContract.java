package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.AgentService;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.lease.ResourceNaming;
import io.agenthub.lifecycle.Activity;
import io.agenthub.message.MessageSignal;
import io.agenthub.ops.Counters;
import io.agenthub.pool.PoolService;
import io.agenthub.pool.PoolTally;
import io.agenthub.pool.PoolView;
import io.agenthub.pool.ScalingPolicy;
import io.agenthub.pool.ScalingRules;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskPolicy;
import io.agenthub.task.TaskService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pools and scaling on a real store with time moved by hand: a simulated queue is filled, worked and drained, and the
 * overview and the scaling advice follow it; per-version statistics come from the shared minute counters.
 */
public abstract class PoolServiceContract extends StoresContract {
    private static final Principal ADMIN = new Principal(Principal.ADMIN_ID, Role.ADMIN);
    private static final MessageSignal QUIET = new MessageSignal() {
        @Override
        public void publish(long cursor) {}

        @Override
        public long await(long after, Duration timeout) {
            return after;
        }
    };

    private AgentService agents;
    private TaskService tasks;
    private PoolService pools;
    private final AtomicReference<ScalingRules.Fleet> fleet = new AtomicReference<>(ScalingRules.Fleet.NORMAL);
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void services() {
        AuditLog audit = new AuditLog(stores.audit(), clock);
        AuthService auth = new AuthService(stores.credentials(), clock, "", Duration.ZERO);
        agents = new AgentService(stores.agents(), auth, audit, clock);
        Counters counters = new Counters(stores.counters(), clock);
        tasks = new TaskService(
                stores.tasks(),
                TaskPolicy.defaults(),
                agents::find,
                null,
                audit,
                clock,
                Activity.NONE,
                QUIET,
                new PoolTally(counters, agents::find, PoolTally.Observer.NONE),
                ResourceNaming.DEFAULT);
        pools = new PoolService(
                stores.tasks(),
                agents,
                counters,
                fleet::get,
                ScalingPolicy.defaults(),
                audit,
                (to, text) -> notices.add(to + ": " + text),
                clock);
    }

    private Principal agent(String id, String pool, String version) {
        agents.register(
                ADMIN,
                id,
                Role.AGENT,
                new AgentService.Profile(id, List.of(), Map.of(TaskService.POOL_LABEL, pool, "version", version)));
        Principal p = new Principal(id, Role.AGENT);
        agents.heartbeat(p, null, null, null);
        return p;
    }

    private void queue(String pool, int n) {
        for (int i = 0; i < n; i++) {
            tasks.create(
                    ADMIN, new NewTask("t" + i, "", 0, List.of(), pool, List.of(), "", List.of(), List.of(), null, 2));
        }
    }

    private PoolView view(String pool) {
        return pools.overview().stream()
                .filter(p -> p.pool().equals(pool))
                .findFirst()
                .orElseThrow();
    }

    private ScalingRules.Advice advice(String pool) {
        return pools.scaling().stream()
                .filter(a -> a.pool().equals(pool))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void overview_shows_agents_by_version_queue_and_rates_per_version() {
        Principal a = agent("a1", "builders", "v1");
        Principal b = agent("b1", "builders", "v2");
        agent("c1", "builders", "v2");
        queue("builders", 4);
        clock.advance(Duration.ofSeconds(30));

        Task ta = tasks.claim(a, 60L, null).orElseThrow();
        Task tb = tasks.claim(b, 60L, null).orElseThrow();
        clock.advance(Duration.ofSeconds(20));
        tasks.complete(a, ta.id(), ta.claim().token(), "ok");
        tasks.fail(b, tb.id(), tb.claim().token(), "broken");

        PoolView p = view("builders");
        assertThat(p.agents()).isEqualTo(3);
        assertThat(p.online()).isEqualTo(3);
        assertThat(p.busy()).isZero();
        assertThat(p.queueDepth()).isEqualTo(3);
        assertThat(p.oldestAgeSeconds()).isEqualTo(50);
        assertThat(p.meanWaitSeconds()).isEqualTo(30.0);
        assertThat(p.versions()).extracting(PoolView.VersionView::version).containsExactly("v1", "v2");
        PoolView.VersionView v1 = p.versions().get(0);
        PoolView.VersionView v2 = p.versions().get(1);
        assertThat(v1.online()).isEqualTo(1);
        assertThat(v1.done()).isEqualTo(1);
        assertThat(v1.successRate()).isEqualTo(1.0);
        assertThat(v1.meanTaskSeconds()).isEqualTo(20.0);
        assertThat(v2.online()).isEqualTo(2);
        assertThat(v2.failed()).isEqualTo(1);
        assertThat(v2.successRate()).isEqualTo(0.0);
        assertThat(p.claimsPerMinute()).isEqualTo(2 / 5.0);

        clock.advance(Duration.ofMinutes(11));
        assertThat(view("builders").versions())
                .as("rates cover the window only")
                .allSatisfy(v -> assertThat(v.successRate()).isNull());
    }

    @Test
    void scaling_follows_a_simulated_queue_up_then_down() {
        Principal a = agent("w1", "work", "v1");
        Principal b = agent("w2", "work", "v1");
        assertThat(advice("work").action()).as("nothing queued, nobody busy").isEqualTo("remove");
        assertThat(advice("work").count()).as("leaves the minimum of one agent").isEqualTo(1);

        queue("work", 10);
        tasks.claim(a, 600L, null).orElseThrow();
        tasks.claim(b, 600L, null).orElseThrow();
        ScalingRules.Advice up = advice("work");
        assertThat(up.action()).isEqualTo("add");
        assertThat(up.count())
                .as("(2 busy + 8 queued) / 0.8 - 2 online, at most 5")
                .isEqualTo(5);
        assertThat(up.reason()).contains("utilisation").contains("queue_growing");

        fleet.set(new ScalingRules.Fleet(1, true, -1, Double.NaN));
        assertThat(advice("work").action()).as("a budget halt holds additions").isEqualTo("hold");
        assertThat(advice("work").reason()).contains("budget");

        fleet.set(new ScalingRules.Fleet(4, false, -1, Double.NaN));
        assertThat(advice("work").action())
                .as("both busy: nobody idle to remove")
                .isEqualTo("hold");

        fleet.set(ScalingRules.Fleet.NORMAL);
        clock.advance(Duration.ofMinutes(11));
        assertThat(view("work").busy()).as("claims expired").isZero();
        assertThat(advice("work").action())
                .as("no agent claims while tasks wait")
                .isEqualTo("hold");
    }

    @Test
    void queue_with_nobody_online_asks_for_agents() {
        queue("lonely", 3);
        ScalingRules.Advice a = advice("lonely");
        assertThat(a.action()).isEqualTo("add");
        assertThat(a.count()).isEqualTo(4);
        assertThat(a.reason()).contains("no_agents");
    }

    @Test
    void scale_down_tells_idle_agents_to_checkpoint_and_exit_and_they_get_no_task() {
        Principal busy = agent("p1", "pool", "v1");
        agent("p2", "pool", "v1");
        agent("p3", "pool", "v1");
        queue("pool", 1);
        tasks.claim(busy, 600L, null).orElseThrow();

        List<String> chosen = pools.scaleDown(ADMIN, "pool", 5);
        assertThat(chosen).containsExactlyInAnyOrder("p2", "p3");
        assertThat(pools.retiring("p2")).isPresent();
        assertThat(pools.retiring("p1")).as("busy agents are never chosen").isEmpty();
        assertThat(notices).hasSize(2).allSatisfy(n -> assertThat(n).contains("checkpoint"));
        assertThat(pools.idleAgents("pool")).as("already told").isEmpty();

        clock.advance(ScalingPolicy.defaults().retireFor().plusSeconds(1));
        assertThat(pools.retiring("p2")).as("the directive lapses").isEmpty();
    }
}
