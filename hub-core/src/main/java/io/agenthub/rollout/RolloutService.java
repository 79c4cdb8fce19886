package io.agenthub.rollout;

import io.agenthub.agent.Agent;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.rollout.Rollout.Stage;
import io.agenthub.rollout.Rollout.Strategy;
import io.agenthub.rollout.RolloutStore.Counts;
import io.agenthub.rollout.RolloutStore.Health;
import io.agenthub.rollout.RolloutStore.Outcome;
import io.agenthub.rollout.RolloutStore.Side;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskListener;
import io.agenthub.task.TaskPolicy;
import io.agenthub.task.TaskRouter;
import io.agenthub.task.TaskService;
import io.agenthub.task.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Rollouts' use cases: starting canary and blue-green rollouts, routing new tasks by them, counting task outcomes per
 * side, the scheduled canary evaluation and the operator's steps. The store owns atomicity (every change is a
 * compare-and-set on the rollout's revision); the node whose save wins announces, audits and alerts, so several hub
 * nodes may evaluate at once and each decision is acted on once.
 *
 * <p>Queued tasks: routing is decided when a task is created and stamped on it. A step changes the share of new tasks
 * only; tasks already queued keep their version, since both versions still run. A rollback (canary or blue-green)
 * also gives the baseline the queued tasks that were routed to the candidate, since the candidate may be stopped.
 */
public final class RolloutService implements TaskRouter, TaskListener {
    private final RolloutStore store;
    private final TaskStore tasks;
    private final RolloutPolicy policy;
    private final Function<String, Optional<Agent>> agents;
    private final Supplier<List<Agent>> allAgents;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Consumer<String> notice;
    private final Consumer<String> alert;

    /** A rollout with the counters of its current window. */
    public record View(Rollout rollout, Health health, Instant nextEvaluation) {}

    /** What an operator asks for when starting a canary; nulls take the policy's defaults. */
    public record CanaryRequest(
            String version,
            String baseline,
            List<Integer> steps,
            Duration hold,
            Double maxErrorRate,
            Double maxLatencyRatio) {}

    /**
     * @param agents looks an agent up by id (the pool and version of an error report's agent)
     * @param allAgents every agent, to find a pool's baseline version when the operator names none
     * @param notice posts a hub notice in the ops channel
     * @param alert raises an alert (a rollback)
     */
    public RolloutService(
            RolloutStore store,
            TaskStore tasks,
            RolloutPolicy policy,
            Function<String, Optional<Agent>> agents,
            Supplier<List<Agent>> allAgents,
            AuditLog audit,
            InstantSource clock,
            Consumer<String> notice,
            Consumer<String> alert) {
        this.store = store;
        this.tasks = tasks;
        this.policy = policy;
        this.agents = agents;
        this.allAgents = allAgents;
        this.audit = audit;
        this.clock = clock;
        this.notice = notice;
        this.alert = alert;
    }

    public RolloutPolicy policy() {
        return policy;
    }

    // ---- reading

    public List<View> list() {
        return store.list().stream().map(this::view).toList();
    }

    public View get(String pool) {
        return view(find(checkPool(pool)));
    }

    private View view(Rollout r) {
        Instant next = r.stage() == Stage.RUNNING ? r.windowStart().plus(r.hold()) : null;
        return new View(r, store.health(r.pool(), r.window()), next);
    }

    // ---- starting

    /** Starts a canary of {@code version} in {@code pool} at its first step. */
    public Rollout canary(Principal caller, String pool, CanaryRequest req) {
        caller.requireAdmin();
        String p = checkPool(pool);
        String version = Require.text("version", req.version(), TaskPolicy.MAX_NAME);
        List<Integer> steps = steps(req.steps() == null || req.steps().isEmpty() ? policy.steps() : req.steps());
        Duration hold = req.hold() == null ? policy.hold() : req.hold();
        if (hold.isNegative() || hold.compareTo(RolloutPolicy.MAX_HOLD) > 0) {
            throw new HubException.InvalidRequest(
                    "hold must be between 0 and " + RolloutPolicy.MAX_HOLD.toDays() + " days.",
                    Map.of("field", "hold"));
        }
        double rate = req.maxErrorRate() == null ? policy.maxErrorRate() : req.maxErrorRate();
        if (!(rate >= 0 && rate <= 1)) {
            throw new HubException.InvalidRequest(
                    "maxErrorRate must be a fraction from 0 to 1 (5% is 0.05).", Map.of("field", "maxErrorRate"));
        }
        double ratio = req.maxLatencyRatio() == null ? policy.maxLatencyRatio() : req.maxLatencyRatio();
        if (!(ratio >= 1 && ratio <= 100)) {
            throw new HubException.InvalidRequest(
                    "maxLatencyRatio must be from 1 to 100 (1.5 allows the canary 50% longer tasks).",
                    Map.of("field", "maxLatencyRatio"));
        }
        Instant now = clock.instant();
        Optional<Rollout> current = startable(p);
        String baseline = baseline(p, version, req.baseline(), current);
        Rollout r = new Rollout(
                        p,
                        Strategy.CANARY,
                        Stage.RUNNING,
                        baseline,
                        version,
                        steps,
                        0,
                        steps.get(0),
                        hold,
                        rate,
                        ratio,
                        current.map(c -> c.window() + 1).orElse(1L),
                        now,
                        "",
                        caller.id(),
                        now,
                        now,
                        0,
                        List.of())
                .next(
                        Stage.RUNNING,
                        steps.get(0),
                        now,
                        caller.id(),
                        "start",
                        "canary " + version + " against " + baseline + ", steps " + steps + ", hold " + hold
                                + ", max error rate " + percent(rate) + ", max latency ratio " + ratio);
        Rollout saved = save(r, current);
        done(
                saved,
                caller.id(),
                "rollout.canary",
                "Canary of " + version + " in pool " + p + " started at " + steps.get(0) + "% of new tasks (baseline "
                        + baseline + ").");
        return saved;
    }

    /** Starts a blue-green rollout: tasks labelled {@code test} go to {@code green}, production stays on blue. */
    public Rollout blueGreen(Principal caller, String pool, String green, String blue) {
        caller.requireAdmin();
        String p = checkPool(pool);
        String version = Require.text("green", green, TaskPolicy.MAX_NAME);
        Instant now = clock.instant();
        Optional<Rollout> current = startable(p);
        String baseline = baseline(p, version, blue, current);
        Rollout r = new Rollout(
                        p,
                        Strategy.BLUE_GREEN,
                        Stage.TESTING,
                        baseline,
                        version,
                        List.of(),
                        0,
                        0,
                        Duration.ZERO,
                        0,
                        0,
                        current.map(c -> c.window() + 1).orElse(1L),
                        now,
                        "",
                        caller.id(),
                        now,
                        now,
                        0,
                        List.of())
                .next(
                        Stage.TESTING,
                        0,
                        now,
                        caller.id(),
                        "start",
                        "green " + version + ", blue " + baseline + "; tasks labelled test go to green");
        Rollout saved = save(r, current);
        done(
                saved,
                caller.id(),
                "rollout.bluegreen",
                "Blue-green in pool " + p + ": tasks labelled test go to green " + version
                        + "; production stays on blue " + baseline + ".");
        return saved;
    }

    // ---- blue-green steps

    /**
     * Judges green by the test tasks it finished since the rollout started (or since the last verification): at least
     * one, none failed and no error report from green's agents.
     */
    public Rollout verify(Principal caller, String pool) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        requireStrategy(r, Strategy.BLUE_GREEN, "verify");
        requireStage(r, "verify", Stage.TESTING, Stage.VERIFIED, Stage.VERIFY_FAILED);
        Counts green = store.health(r.pool(), r.window()).candidate();
        boolean ok = green.completed() > 0 && green.failed() == 0 && green.errors() == 0;
        String result = green.completed() + " test task(s) completed, " + green.failed() + " failed, "
                + green.errors() + " error report(s) from green"
                + (green.attempts() == 0 ? "; no test task has finished yet: create tasks labelled test" : "");
        Instant now = clock.instant();
        Stage stage = ok ? Stage.VERIFIED : Stage.VERIFY_FAILED;
        Rollout next = r.withVerification((ok ? "passed: " : "failed: ") + result)
                .next(stage, 0, now, caller.id(), ok ? "verified" : "verify-failed", result);
        Rollout saved = save(next, Optional.of(r));
        done(
                saved,
                caller.id(),
                "rollout.verify",
                "Blue-green in pool " + r.pool() + ": verification of green " + r.candidate() + " "
                        + (ok ? "passed" : "FAILED") + " (" + result + ").");
        return saved;
    }

    /** Sends all production tasks to green in one step; blue stays registered and warm. */
    public Rollout switchToGreen(Principal caller, String pool, boolean force) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        requireStrategy(r, Strategy.BLUE_GREEN, "switch");
        if (r.stage() != Stage.VERIFIED && !(force && r.stage().active())) {
            throw new HubException.Conflict(
                    "rollout_stage",
                    "The blue-green rollout of pool " + r.pool() + " is "
                            + r.stage().label() + "; verify green first (hub rollout verify " + r.pool()
                            + "), or switch with force.",
                    Map.of("pool", r.pool(), "stage", r.stage().label()));
        }
        Instant now = clock.instant();
        Rollout next = r.newWindow(now)
                .next(Stage.SWITCHED, 100, now, caller.id(), "switch", force ? "forced" : r.verification());
        Rollout saved = save(next, Optional.of(r));
        done(
                saved,
                caller.id(),
                "rollout.switch",
                "Blue-green in pool " + r.pool() + ": production now goes to green " + r.candidate() + "; blue "
                        + r.baseline() + " stays warm for a rollback.");
        return saved;
    }

    // ---- canary steps by hand

    public Rollout pause(Principal caller, String pool) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        requireStage(r, "pause", Stage.RUNNING);
        Instant now = clock.instant();
        Rollout saved = save(r.next(Stage.PAUSED, r.weight(), now, caller.id(), "pause", ""), Optional.of(r));
        done(
                saved,
                caller.id(),
                "rollout.pause",
                "Canary of " + r.candidate() + " in pool " + r.pool() + " paused at " + r.weight() + "%.");
        return saved;
    }

    /** Resumes a paused canary; its step is observed again from now. */
    public Rollout resume(Principal caller, String pool) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        requireStage(r, "resume", Stage.PAUSED);
        Instant now = clock.instant();
        Rollout saved =
                save(r.newWindow(now).next(Stage.RUNNING, r.weight(), now, caller.id(), "resume", ""), Optional.of(r));
        done(
                saved,
                caller.id(),
                "rollout.resume",
                "Canary of " + r.candidate() + " in pool " + r.pool() + " resumed at " + r.weight() + "%.");
        return saved;
    }

    /** Gives the candidate all production tasks now (a canary's remaining steps are skipped). */
    public Rollout promote(Principal caller, String pool) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        requireStrategy(r, Strategy.CANARY, "promote");
        requireStage(r, "promote", Stage.RUNNING, Stage.PAUSED);
        return promoted(r, caller.id(), "promote", "by hand at " + r.weight() + "%", clock.instant())
                .orElseThrow(() -> changedMeanwhile(r.pool()));
    }

    /** Sends production tasks back to the baseline (blue), including queued tasks routed to the candidate. */
    public Rollout rollback(Principal caller, String pool, String reason) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        if (r.stage() == Stage.ROLLED_BACK) {
            throw new HubException.Conflict(
                    "rollout_stage",
                    "The rollout of pool " + r.pool() + " is already rolled back to " + r.baseline() + ".",
                    Map.of("pool", r.pool(), "stage", r.stage().label()));
        }
        String why = Require.optional("reason", reason, 1024);
        return rolledBack(r, caller.id(), why.isEmpty() ? "by hand" : why, false)
                .orElseThrow(() -> changedMeanwhile(r.pool()));
    }

    /**
     * Removes a finished rollout: new tasks of the pool are no longer stamped with a version (any agent of the pool may
     * claim them again). Tasks already queued keep their version. Refused while the rollout is in progress.
     */
    public void end(Principal caller, String pool) {
        caller.requireAdmin();
        Rollout r = find(checkPool(pool));
        if (r.stage().active()) {
            throw new HubException.Conflict(
                    "rollout_active",
                    "The rollout of pool " + r.pool() + " is " + r.stage().label()
                            + "; promote, switch or roll it back before ending it.",
                    Map.of("pool", r.pool(), "stage", r.stage().label()));
        }
        if (!store.delete(r.pool(), r.revision())) {
            throw changedMeanwhile(r.pool());
        }
        done(
                r,
                caller.id(),
                "rollout.end",
                "Rollout of pool " + r.pool() + " ended (it was " + r.stage().label()
                        + "); new tasks of the pool name no version.");
    }

    // ---- routing and counting

    @Override
    public Routed route(NewTask spec) {
        if (!spec.version().isEmpty()) {
            return new Routed(spec, null);
        }
        Optional<Rollout> found = store.find(spec.pool());
        if (found.isEmpty() || found.get().baseline().isEmpty()) {
            return new Routed(spec, null);
        }
        Rollout r = found.get();
        List<String> labels = new ArrayList<>(spec.labels());
        if (!labels.contains(TaskStore.ROUTED_LABEL)) {
            labels.add(TaskStore.ROUTED_LABEL);
        }
        boolean test = spec.labels().contains(TaskStore.TEST_LABEL);
        String version = test || r.weight() == 100 ? r.candidate() : r.baseline();
        TaskStore.Split split =
                !test && r.weight() > 0 && r.weight() < 100 ? new TaskStore.Split(r.candidate(), r.weight()) : null;
        return new Routed(
                new NewTask(
                        spec.title(),
                        spec.body(),
                        spec.priority(),
                        labels,
                        spec.pool(),
                        spec.capabilities(),
                        version,
                        spec.resources(),
                        spec.dependsOn(),
                        spec.deadline(),
                        spec.maxAttempts()),
                split);
    }

    /** Counts completed and failed attempts of tasks on either side of their pool's rollout. */
    @Override
    public void changed(String kind, Task task, String detail) {
        Outcome outcome = switch (kind) {
            case "completed" -> Outcome.COMPLETED;
            case "failed", "dead", "requeued" -> Outcome.FAILED;
            default -> null;
        };
        if (outcome == null || task.claim() == null || task.version().isEmpty()) {
            return;
        }
        try {
            store.find(task.pool()).ifPresent(r -> {
                Side side = side(r, task.version());
                if (side != null) {
                    long ms = Math.max(
                            0,
                            Duration.between(task.claim().claimedAt(), task.updatedAt())
                                    .toMillis());
                    store.count(r.pool(), r.window(), side, outcome, ms);
                }
            });
        } catch (RuntimeException e) {
            // Counting is observation; the task's change is stored either way.
        }
    }

    /** Counts an error report of {@code agentId} against its side of its pool's rollout. */
    public void errorReported(String agentId) {
        try {
            agents.apply(agentId)
                    .ifPresent(a -> store.find(TaskService.poolOf(a)).ifPresent(r -> {
                        Side side = side(r, TaskService.versionOf(a));
                        if (side != null) {
                            store.count(r.pool(), r.window(), side, Outcome.ERROR_REPORT, 0);
                        }
                    }));
        } catch (RuntimeException e) {
            // As above: observation only.
        }
    }

    private static Side side(Rollout r, String version) {
        if (version.equals(r.candidate())) {
            return Side.CANDIDATE;
        }
        return version.equals(r.baseline()) ? Side.BASELINE : null;
    }

    // ---- evaluation

    /**
     * Judges every running canary on the counters of its current step: past a threshold it is rolled back at once;
     * healthy with its hold over, it moves to the next step (the last one promotes it). Returns the decisions taken
     * by this node.
     */
    public List<Rollout> evaluate() {
        Instant now = clock.instant();
        List<Rollout> out = new ArrayList<>();
        for (Rollout r : store.list()) {
            if (r.strategy() == Strategy.CANARY && r.stage() == Stage.RUNNING) {
                evaluate(r, now).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<Rollout> evaluate(Rollout r, Instant now) {
        Health h = store.health(r.pool(), r.window());
        Counts c = h.candidate();
        Counts b = h.baseline();
        String measured = "canary " + describe(c) + "; baseline " + describe(b);
        if (c.attempts() >= policy.minSamples()) {
            if (c.errorRate() > r.maxErrorRate()) {
                return rolledBack(
                        r,
                        "hub",
                        "error rate " + percent(c.errorRate()) + " above " + percent(r.maxErrorRate()) + " (" + measured
                                + ")",
                        true);
            }
            if (b.attempts() > 0
                    && b.meanDurationMs() > 0
                    && c.meanDurationMs() / b.meanDurationMs() > r.maxLatencyRatio()) {
                return rolledBack(
                        r,
                        "hub",
                        String.format(
                                Locale.ROOT,
                                "mean task duration %.2fx the baseline's, above %.2fx (%s)",
                                c.meanDurationMs() / b.meanDurationMs(),
                                r.maxLatencyRatio(),
                                measured),
                        true);
            }
        }
        if (now.isBefore(r.windowStart().plus(r.hold())) || c.attempts() < policy.minSamples()) {
            return Optional.empty();
        }
        int nextIndex = r.step() + 1;
        if (nextIndex >= r.steps().size() || r.steps().get(nextIndex) >= 100) {
            return promoted(r, "hub", "promote", "healthy at " + r.weight() + "% (" + measured + ")", now);
        }
        int weight = r.steps().get(nextIndex);
        Rollout next = r.atStep(nextIndex, now)
                .next(
                        Stage.RUNNING,
                        weight,
                        now,
                        "hub",
                        "step",
                        "healthy at " + r.weight() + "% (" + measured + "); now " + weight + "%");
        return saveIf(next, r).map(saved -> {
            done(
                    saved,
                    "hub",
                    "rollout.step",
                    "Canary of " + r.candidate() + " in pool " + r.pool() + " healthy at " + r.weight() + "%; now "
                            + weight + "% of new tasks.");
            return saved;
        });
    }

    private Optional<Rollout> promoted(Rollout r, String by, String action, String detail, Instant now) {
        Rollout next = r.newWindow(now).next(Stage.PROMOTED, 100, now, by, action, detail);
        return saveIf(next, r).map(saved -> {
            done(
                    saved,
                    by,
                    "rollout.promote",
                    "Canary of " + r.candidate() + " in pool " + r.pool() + " promoted: all new tasks go to it ("
                            + detail + ").");
            return saved;
        });
    }

    private Optional<Rollout> rolledBack(Rollout r, String by, String why, boolean automatic) {
        Instant now = clock.instant();
        Rollout next =
                r.newWindow(now).next(Stage.ROLLED_BACK, 0, now, by, automatic ? "auto-rollback" : "rollback", why);
        Optional<Rollout> saved = saveIf(next, r);
        saved.ifPresent(s -> {
            int moved = tasks.reroute(r.pool(), r.candidate(), r.baseline(), 10_000);
            String text = (r.strategy() == Strategy.CANARY ? "Canary of " : "Green ") + r.candidate() + " in pool "
                    + r.pool() + " rolled back" + (automatic ? " automatically" : "") + ": " + why + ". New tasks go"
                    + " to " + r.baseline() + (moved > 0 ? "; " + moved + " queued task(s) moved to it" : "") + ".";
            done(s, by, automatic ? "rollout.auto-rollback" : "rollout.rollback", text);
            if (automatic) {
                alert.accept(text);
            }
        });
        return saved;
    }

    // ---- helpers

    private Rollout find(String pool) {
        return store.find(pool)
                .orElseThrow(() -> new HubException.NotFound("Pool " + pool
                        + " has no rollout; start one with hub rollout canary or hub rollout bluegreen."));
    }

    /** The pool's finished rollout, if any; a rollout in progress refuses a new one. */
    private Optional<Rollout> startable(String pool) {
        Optional<Rollout> current = store.find(pool);
        current.ifPresent(c -> {
            if (c.stage().active()) {
                throw new HubException.Conflict(
                        "rollout_active",
                        "Pool " + pool + " has a " + c.strategy().label() + " rollout of " + c.candidate()
                                + " in stage " + c.stage().label() + "; promote, switch or roll it back first.",
                        Map.of("pool", pool, "stage", c.stage().label()));
            }
        });
        return current;
    }

    /** The named baseline, else the stable version of the pool's last rollout, else its agents' most common version. */
    private String baseline(String pool, String candidate, String named, Optional<Rollout> current) {
        String b = named == null || named.isEmpty()
                ? current.map(Rollout::stable).orElseGet(() -> commonVersion(pool, candidate))
                : Require.text("baseline", named, TaskPolicy.MAX_NAME);
        if (b.isEmpty()) {
            throw new HubException.InvalidRequest(
                    "No agent of pool " + pool + " reports a version other than " + candidate
                            + "; name the baseline version (--baseline or --blue), or label the pool's agents with"
                            + " their version.",
                    Map.of("field", "baseline"));
        }
        if (b.equals(candidate)) {
            throw new HubException.InvalidRequest(
                    "The new version " + candidate + " is already the pool's version; name another.",
                    Map.of("field", "version"));
        }
        return b;
    }

    private String commonVersion(String pool, String candidate) {
        Map<String, Integer> counts = new HashMap<>();
        for (Agent a : allAgents.get()) {
            String v = TaskService.versionOf(a);
            if (TaskService.poolOf(a).equals(pool) && !v.isEmpty() && !v.equals(candidate)) {
                counts.merge(v, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse("");
    }

    private Rollout save(Rollout next, Optional<Rollout> current) {
        return store.save(next, current.map(Rollout::revision).orElse(0L))
                .orElseThrow(() -> changedMeanwhile(next.pool()));
    }

    private Optional<Rollout> saveIf(Rollout next, Rollout current) {
        return store.save(next, current.revision());
    }

    private void done(Rollout r, String actor, String action, String text) {
        audit.record(
                actor,
                action,
                r.pool(),
                Map.of(
                        "version",
                        r.candidate(),
                        "baseline",
                        r.baseline(),
                        "stage",
                        r.stage().label(),
                        "weight",
                        Integer.toString(r.weight())));
        try {
            notice.accept(text);
        } catch (RuntimeException e) {
            // The decision is stored and audited; the notice is a courtesy.
        }
    }

    private static HubException changedMeanwhile(String pool) {
        return new HubException.Conflict(
                "rollout_changed",
                "The rollout of pool " + pool + " changed meanwhile (another operator or the evaluation); read it"
                        + " again with GET /api/rollouts and retry.",
                Map.of("pool", pool));
    }

    private static void requireStrategy(Rollout r, Strategy s, String verb) {
        if (r.strategy() != s) {
            throw new HubException.Conflict(
                    "rollout_strategy",
                    "Pool " + r.pool() + " has a " + r.strategy().label() + " rollout; " + verb + " applies to "
                            + s.label() + " rollouts.",
                    Map.of("pool", r.pool(), "strategy", r.strategy().label()));
        }
    }

    private static void requireStage(Rollout r, String verb, Stage... stages) {
        for (Stage s : stages) {
            if (r.stage() == s) {
                return;
            }
        }
        throw new HubException.Conflict(
                "rollout_stage",
                "Cannot " + verb + " the rollout of pool " + r.pool() + ": it is "
                        + r.stage().label() + ".",
                Map.of("pool", r.pool(), "stage", r.stage().label()));
    }

    private static List<Integer> steps(List<Integer> steps) {
        if (steps.size() > RolloutPolicy.MAX_STEPS) {
            throw new HubException.InvalidRequest(
                    "A canary has at most " + RolloutPolicy.MAX_STEPS + " steps.", Map.of("field", "steps"));
        }
        int last = 0;
        for (Integer s : steps) {
            if (s == null || s <= last || s > 100) {
                throw new HubException.InvalidRequest(
                        "steps must be rising percentages from 1 to 100, e.g. 10,50,100; got " + steps + ".",
                        Map.of("field", "steps"));
            }
            last = s;
        }
        if (last != 100) {
            throw new HubException.InvalidRequest(
                    "The last step must be 100 (the canary takes all tasks); got " + steps + ".",
                    Map.of("field", "steps"));
        }
        return List.copyOf(steps);
    }

    private static String checkPool(String pool) {
        return Require.id("pool", pool);
    }

    private static String describe(Counts c) {
        return c.completed() + " done, " + c.failed() + " failed, " + c.errors() + " error reports, "
                + percent(c.errorRate()) + " errors, mean " + Math.round(c.meanDurationMs()) + " ms";
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
