package io.agenthub.server.drill;

import io.agenthub.agent.AgentStatus;
import io.agenthub.auth.Principal;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.drill.DrillStep;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.lease.Lease;
import io.agenthub.ops.Counters;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.selftest.Scratch;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Chaos scenarios an operator runs against a live hub ({@code hub chaos}, {@code POST /api/chaos}): simulated agents in
 * a scratch namespace of the hub's own backend (deleted afterwards), driven through the hub's real services, with
 * checks of what must hold. Time in the scratch namespace is compressed where a scenario needs minutes of hub time
 * (presence and lease bounds): each tick moves the scratch clock by {@link #TICK}. Scenarios that need process control
 * of the hub or its Redis (a hub kill, latency, a partition) run only in the CI chaos suite.
 */
public final class Chaos {
    /** Scenarios that run here. */
    public static final List<String> SCENARIOS = List.of("agent-shutdown", "throttling", "lease-contention");

    /** Scenarios that need process control of the hub or a proxy in front of Redis. */
    public static final List<String> CI_ONLY =
            List.of("hub-kill", "redis-latency", "redis-loss", "partition", "agent-kill");

    static final Duration TICK = Duration.ofSeconds(30);
    static final Duration MAX_DURATION = Duration.ofMinutes(10);

    private final LiveHub live;

    /** What one run found: checks with their outcome, and a timeline of what the hub did. */
    public record Result(
            String id,
            String scenario,
            boolean ok,
            long durationMillis,
            List<DrillStep> checks,
            List<String> timeline) {}

    public Chaos(LiveHub live) {
        this.live = live;
    }

    /** Runs a scenario for about {@code duration} with {@code agents} simulated agents; posts a summary to ops chat. */
    public Result run(String scenario, Duration duration, int agents) {
        if (CI_ONLY.contains(scenario)) {
            throw new HubException.InvalidRequest("Scenario " + scenario + " needs process control of the hub or of its"
                    + " Redis; it runs only in the CI chaos suite (.ci/run). Here: " + String.join(", ", SCENARIOS)
                    + ".");
        }
        if (!SCENARIOS.contains(scenario)) {
            throw new HubException.InvalidRequest(
                    "No chaos scenario " + scenario + "; choose one of " + String.join(", ", SCENARIOS) + ".");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new HubException.InvalidRequest("duration must be between 1 s and 10 min.");
        }
        if (agents < 3 || agents > 1000) {
            throw new HubException.InvalidRequest("agents must be between 3 and 1000.");
        }
        String id = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
        long t0 = System.nanoTime();
        long span = duration.toNanos();
        List<DrillStep> checks = new ArrayList<>();
        List<String> timeline = new ArrayList<>();
        try (Scratch s = new Scratch(live.stores().openScratch(id), HubConfig.of(Map.of()), Instant.now())) {
            switch (scenario) {
                case "agent-shutdown" -> agentShutdown(s, id, agents, System.nanoTime() + span, checks, timeline);
                case "throttling" -> throttling(s, id, agents, span, checks, timeline);
                default -> leaseContention(s, id, agents, span, checks, timeline);
            }
        }
        boolean ok = checks.stream().noneMatch(c -> c.status() == DrillStep.Status.FAIL);
        Result r = new Result(id, scenario, ok, (System.nanoTime() - t0) / 1_000_000, checks, timeline);
        live.announce()
                .accept("Chaos " + scenario + " (" + id + "): " + (ok ? "all checks hold" : "FAILED") + " — "
                        + String.join(
                                "; ",
                                checks.stream()
                                        .map(c -> c.name() + " " + c.status())
                                        .toList()));
        return r;
    }

    private static DrillStep check(String name, boolean ok, long t0, String message) {
        return DrillStep.scored(
                name,
                ok ? DrillStep.Status.PASS : DrillStep.Status.FAIL,
                (System.nanoTime() - t0) / 1_000_000,
                Drill.STEP_BUDGET_MILLIS,
                message);
    }

    /**
     * Waves of simulated agents each hold a lease, a claimed task and a checkpoint; a random third of each wave goes
     * silent. Checks: their leases leave them within the presence bound and a live agent takes the handoff; their
     * tasks come back to the queue and are completed once, by a live agent (the silent one's late completion is
     * refused); a restarted agent's hot-start names its checkpoint.
     */
    private static void agentShutdown(
            Scratch s, String id, int n, long deadline, List<DrillStep> checks, List<String> timeline) {
        Random random = new Random();
        Duration bound = Duration.ofSeconds(181 + 120).plus(TICK);
        int waves = 0;
        int killedTotal = 0;
        long worstMillis = 0;
        boolean leasesOk = true;
        boolean tasksOk = true;
        boolean soulOk = true;
        long t0 = System.nanoTime();
        do {
            String wave = id + "-w" + waves;
            List<Principal> agents = new ArrayList<>();
            Map<String, Task> claimed = new HashMap<>();
            for (int i = 0; i < n; i++) {
                Principal p = s.agent(wave + "-" + i, Map.of("pool", wave));
                agents.add(p);
                s.hub.agents.heartbeat(p, AgentStatus.BUSY, "wave " + waves, null);
                s.hub.leases.acquire(p, wave + "/work/" + i + ".txt", 3600L, "chaos");
                s.hub.checkpoints.save(
                        p,
                        new CheckpointData(
                                "task " + i, "half done", List.of(), List.of(), List.of(), List.of(), "", 0));
                s.hub.tasks.create(
                        s.admin,
                        new NewTask("t" + i, "", 0, List.of(), wave, List.of(), null, List.of(), List.of(), null, 0));
            }
            for (Principal p : agents) {
                s.hub.tasks.claim(p, 240L, Duration.ZERO).ifPresent(t -> claimed.put(p.id(), t));
            }
            Set<Principal> killed = new java.util.HashSet<>();
            while (killed.size() < Math.max(1, n / 3)) {
                killed.add(agents.get(random.nextInt(n)));
            }
            List<Principal> alive =
                    agents.stream().filter(p -> !killed.contains(p)).toList();
            timeline.add("wave " + waves + ": " + n + " agents, silenced "
                    + killed.stream().map(Principal::id).toList());
            Duration elapsed = Duration.ZERO;
            Map<String, Duration> freedAfter = new HashMap<>();
            while (elapsed.compareTo(bound.plus(Duration.ofMinutes(2))) < 0) {
                s.advance(TICK);
                elapsed = elapsed.plus(TICK);
                for (Principal p : alive) {
                    s.hub.agents.heartbeat(p, AgentStatus.BUSY, null, null);
                }
                s.hub.reaper.run();
                s.hub.tasks.reap();
                for (Handoff h : s.hub.handoffs.list(s.admin, HandoffStatus.PENDING, false, 100)) {
                    // Only this wave's handoffs: an earlier wave's are for its own pool.
                    if (h.kind() == Handoff.Kind.REAPED && h.from().startsWith(wave + "-")) {
                        s.hub.handoffs.accept(alive.get(random.nextInt(alive.size())), h.id());
                    }
                }
                for (Principal k : killed) {
                    if (!freedAfter.containsKey(k.id())
                            && s.hub.leases.heldBy(k.id()).isEmpty()) {
                        freedAfter.put(k.id(), elapsed);
                    }
                }
            }
            for (Principal k : killed) {
                Duration after = freedAfter.get(k.id());
                leasesOk &= after != null && after.compareTo(bound) <= 0;
                worstMillis = Math.max(worstMillis, after == null ? Long.MAX_VALUE / 2 : after.toMillis());
                List<Lease> taken = s.hub.leases.active().stream()
                        .filter(l -> l.resource().startsWith(wave + "/"))
                        .filter(l -> killed.stream().noneMatch(x -> x.id().equals(l.holder())))
                        .toList();
                leasesOk &= taken.size() >= n - killed.size();
                Task old = claimed.get(k.id());
                if (old != null) {
                    try {
                        s.hub.tasks.complete(k, old.id(), old.claim().token(), "late");
                        tasksOk = false;
                    } catch (HubException e) {
                        // the silent agent's claim is gone: it cannot complete the task any more
                    }
                    Principal heir = alive.getFirst();
                    Task again = s.hub.tasks.claim(heir, 240L, Duration.ZERO).orElse(null);
                    tasksOk &= again != null;
                    if (again != null) {
                        s.hub.tasks.complete(heir, again.id(), again.claim().token(), "done");
                    }
                }
                s.hub.agents.heartbeat(k, AgentStatus.ACTIVE, null, null);
                var hot = s.hub.hotStart.build(k, null, null);
                soulOk &= hot.checkpoint() != null
                        && hot.prompt()
                                .contains("checkpoint v" + hot.checkpoint().version());
            }
            killedTotal += killed.size();
            waves++;
        } while (System.nanoTime() < deadline && waves < 20);
        checks.add(check(
                "leases-freed-within-bound",
                leasesOk,
                t0,
                killedTotal + " silent agents in " + waves + " waves; worst " + worstMillis / 1000
                        + " s of hub time until their leases left them (bound " + bound.toSeconds() + " s), and live"
                        + " agents hold every lease of each wave"));
        checks.add(check(
                "tasks-requeued-once",
                tasksOk,
                t0,
                "each silent agent's task came back, a live agent completed it, and the silent agent's late completion"
                        + " was refused"));
        checks.add(check("soul-restored", soulOk, t0, "every restarted agent's hot-start names its last checkpoint"));
    }

    /**
     * Simulated agents report LLM throttling (429) and overload (529) errors among their requests until the duration
     * ends, then stop; the scratch hub's alert rules are evaluated along the way. Prints what the hub did (alerts,
     * tier); checks that every report was accepted and that the tier returns to where it was once the reports stop.
     */
    private static void throttling(
            Scratch s, String id, int n, long span, List<DrillStep> checks, List<String> timeline) {
        long t0 = System.nanoTime();
        List<Principal> agents = agents(s, id, n);
        long deadline = System.nanoTime() + span;
        int before = s.hub.tiers.current().tier().number();
        timeline.add("tier " + before + " before the reports");
        int reports = 0;
        int refused = 0;
        String lastState = "";
        do {
            s.hub.counters.add(Counters.REQUESTS, n * 2L);
            for (int i = 0; i < n; i++) {
                String code = i % 2 == 0 ? "429" : "529";
                try {
                    s.hub.errors.report(
                            agents.get(i),
                            new ErrorLogService.NewError(
                                    "LLM API " + code
                                            + (code.equals("429") ? " rate_limit_error" : " overloaded_error"),
                                    "the model provider answered " + code,
                                    "error",
                                    "llm.call",
                                    "",
                                    Map.of("status", code, "source", "chaos"),
                                    null));
                    reports++;
                } catch (HubException e) {
                    refused++;
                }
            }
            s.ops.evaluate();
            String state = state(s);
            if (!state.equals(lastState)) {
                timeline.add("after " + reports + " reports: " + state);
                lastState = state;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        // The reports stop: move past the error-rate window and let the rules settle.
        for (int i = 0; i < 12; i++) {
            s.advance(Duration.ofMinutes(1));
            s.hub.counters.add(Counters.REQUESTS, n * 2L);
            s.ops.evaluate();
        }
        int after = s.hub.tiers.current().tier().number();
        timeline.add("reports stopped; 12 min later: " + state(s));
        checks.add(check(
                "reports-accepted",
                refused == 0,
                t0,
                reports + " throttling reports (429 and 529) accepted, " + refused + " refused"));
        checks.add(check(
                "recovers-when-reports-stop",
                after <= before,
                t0,
                "tier " + before + " before, tier " + after + " after the reports stopped"));
    }

    private static String state(Scratch s) {
        List<String> firing = s.hub.alerts.status().stream()
                .filter(a -> a.state() != null && a.state().status().name().equals("FIRING"))
                .map(a -> a.rule().name())
                .toList();
        return "tier " + s.hub.tiers.current().tier().number() + ", alerts firing " + firing;
    }

    /**
     * Agents contend for a few resources until the duration ends; every grant they see is recorded (resource, holder,
     * token, from, until) and checked: no two grants of one resource overlap in time, and its tokens only grow.
     */
    private static void leaseContention(
            Scratch s, String id, int n, long span, List<DrillStep> checks, List<String> timeline) {
        long t0 = System.nanoTime();
        List<Principal> agents = agents(s, id, n);
        // The clock starts once the agents exist: on a busy machine registering them can take a while.
        long deadline = System.nanoTime() + span;
        List<String> resources = List.of(id + "/a.txt", id + "/b.txt", id + "/c/");
        List<long[]> grants = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                Principal p = agents.get(i);
                pool.submit(() -> {
                    Random r = new Random();
                    do {
                        int k = r.nextInt(resources.size());
                        try {
                            Lease l = s.hub.leases
                                    .acquire(p, resources.get(k), 60L, "chaos")
                                    .lease();
                            long from = System.nanoTime();
                            long until = System.nanoTime();
                            s.hub.leases.release(p, l.resource(), l.token());
                            grants.add(new long[] {k, l.token(), from, until});
                        } catch (HubException.Conflict e) {
                            conflicts.incrementAndGet();
                        }
                    } while (System.nanoTime() < deadline);
                    return null;
                });
            }
        }
        // Overlap: sorted by token per resource, each grant must start after the previous one ended (as seen by the
        // clients, from the grant's answer to the start of its release).
        boolean safe = true;
        String broke = "";
        List<long[]> all = new ArrayList<>(grants);
        for (int k = 0; k < resources.size(); k++) {
            int res = k;
            List<long[]> mine = all.stream()
                    .filter(g -> g[0] == res)
                    .sorted(java.util.Comparator.comparingLong(g -> g[1]))
                    .toList();
            for (int i = 1; i < mine.size(); i++) {
                if (mine.get(i)[1] <= mine.get(i - 1)[1] || mine.get(i)[2] < mine.get(i - 1)[3]) {
                    safe = false;
                    broke = resources.get(k) + " token " + mine.get(i)[1];
                }
            }
        }
        timeline.add(all.size() + " grants and " + conflicts.get() + " conflicts over " + resources.size()
                + " resources among " + n + " agents");
        checks.add(check(
                "no-overlapping-grants",
                safe,
                t0,
                safe
                        ? all.size() + " grants checked: none overlapped, tokens only grew"
                        : "grants overlapped or a token went backwards at " + broke));
        checks.add(check("grants-happened", !all.isEmpty(), t0, all.size() + " grants"));
    }

    /** Agents {@code <id>-0} to {@code <id>-<n-1>}. */
    private static List<Principal> agents(Scratch s, String id, int n) {
        List<Principal> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.agent(id + "-" + i));
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
