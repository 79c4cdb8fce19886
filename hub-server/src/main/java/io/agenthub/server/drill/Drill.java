package io.agenthub.server.drill;

import io.agenthub.auth.Principal;
import io.agenthub.drill.DrillRun;
import io.agenthub.drill.DrillStep;
import io.agenthub.error.HubException;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import io.agenthub.server.selftest.Scratch;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordination drill: a full exercise of the hub's coordination by simulated agents, each step timed and scored.
 * It runs on the hub's own backend, in a scratch namespace named after the run ({@code drill-<time>-<random>}) that
 * holds the run's agents, leases, channel, handoffs, tasks, budget, tier and rollout, and that is deleted afterwards:
 * the fleet's agents, leases and budget are never touched. Only {@code --live-tier} (an admin's explicit request)
 * changes the live hub's tier, and back.
 *
 * <p>One implementation serves {@code POST /api/drills} ({@code hub drill}) and the schedule ({@code drill-interval});
 * each run is stored ({@code GET /api/drills}), posted to the ops channel, and the alert rules are evaluated after it
 * (rule DrillFailed). One run at a time per node.
 */
public final class Drill {
    /** Runs kept in the store: a year of weekly drills. */
    public static final int KEEP = 52;

    /** Latency each step should stay under; a slower pass scores half. */
    static final long STEP_BUDGET_MILLIS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LiveHub live;
    private final String node;
    private final Runnable afterRun;
    private final InstantSource clock;
    private final HubConfig scratchConfig;
    private final ReentrantLock running = new ReentrantLock();

    /** What the caller asks for. */
    public record Options(boolean liveTier) {
        public static final Options DEFAULT = new Options(false);
    }

    /**
     * @param live what the drill uses of the live hub (its stores, tier, alerts and ops channel)
     * @param afterRun called after each stored run (alert evaluation)
     */
    public Drill(LiveHub live, String node, Runnable afterRun, InstantSource clock) {
        this.live = live;
        this.node = node;
        this.afterRun = afterRun;
        this.clock = clock;
        // Default policies (the budget thresholds the budget step crosses), whatever the operator configured.
        this.scratchConfig = HubConfig.of(Map.of());
    }

    /** Stored runs, newest first. */
    public List<DrillRun> history(int limit) {
        return live.stores().drills().recent(limit);
    }

    public Optional<DrillRun> latest() {
        return live.stores().drills().latest();
    }

    /**
     * Runs the drill now, stores and announces the result.
     *
     * @param trigger {@code request} or {@code schedule}
     * @param caller who asked (an admin); used only for the live tier step
     */
    public DrillRun run(String trigger, Options options, Principal caller) {
        if (!running.tryLock()) {
            throw new HubException.Conflict(
                    "drill_running",
                    "A coordination drill is running on this node; wait for it (a minute at most) and read GET"
                            + " /api/drills.",
                    Map.of());
        }
        try {
            DrillRun run = execute(trigger, options.liveTier() ? caller : null);
            record(run);
            return run;
        } finally {
            running.unlock();
        }
    }

    /**
     * The schedule's entry: runs unless a drill (of any node) started within half an interval, so that several nodes
     * on one Redis run about one drill per interval between them.
     */
    public Optional<DrillRun> scheduled(Duration interval) {
        Instant now = clock.instant();
        Optional<DrillRun> last = latest();
        if (last.isPresent() && last.get().startedAt().isAfter(now.minus(interval.dividedBy(2)))) {
            return Optional.empty();
        }
        return Optional.of(run("schedule", Options.DEFAULT, null));
    }

    private DrillRun execute(String trigger, Principal liveCaller) {
        Instant started = clock.instant();
        String id = "drill-" + Long.toString(started.toEpochMilli(), 36) + "-" + random();
        long t0 = System.nanoTime();
        List<DrillStep> steps = new ArrayList<>();
        Scratch s;
        try {
            s = new Scratch(live.stores().openScratch(id), scratchConfig, Instant.now());
        } catch (RuntimeException e) {
            steps.add(DrillStep.scored("scratch", DrillStep.Status.FAIL, 0, STEP_BUDGET_MILLIS, describe(e)));
            return DrillRun.of(id, trigger, node, started, (System.nanoTime() - t0) / 1_000_000, steps);
        }
        try {
            String broken = null;
            for (DrillScenario.Step step : new DrillScenario(id, s, live, liveCaller).steps()) {
                // Each step builds on the state the earlier ones left: after a failure the rest cannot run, and they
                // count as failed so that the score says how much of the exercise completed.
                DrillStep done = broken != null
                        ? DrillStep.scored(
                                step.name(),
                                DrillStep.Status.FAIL,
                                0,
                                STEP_BUDGET_MILLIS,
                                "not run: " + broken + " failed")
                        : step(step);
                if (broken == null && done.status() == DrillStep.Status.FAIL) {
                    broken = step.name();
                }
                steps.add(done);
            }
        } finally {
            long c0 = System.nanoTime();
            DrillStep.Status status = DrillStep.Status.PASS;
            String message = "scratch namespace " + id + " deleted";
            try {
                s.close();
            } catch (RuntimeException e) {
                status = DrillStep.Status.FAIL;
                message = "could not delete scratch namespace " + id + ": " + describe(e);
            }
            steps.add(DrillStep.scored(
                    "cleanup", status, (System.nanoTime() - c0) / 1_000_000, STEP_BUDGET_MILLIS, message));
        }
        return DrillRun.of(id, trigger, node, started, (System.nanoTime() - t0) / 1_000_000, steps);
    }

    private static DrillStep step(DrillScenario.Step step) {
        long t0 = System.nanoTime();
        DrillStep.Status status;
        String message;
        try {
            message = step.body().run();
            status = DrillStep.Status.PASS;
        } catch (DrillScenario.Skip skip) {
            status = DrillStep.Status.SKIP;
            message = skip.getMessage();
        } catch (Exception | AssertionError e) {
            status = DrillStep.Status.FAIL;
            message = describe(e);
        }
        return DrillStep.scored(step.name(), status, (System.nanoTime() - t0) / 1_000_000, STEP_BUDGET_MILLIS, message);
    }

    private void record(DrillRun run) {
        try {
            live.stores().drills().save(run, KEEP);
        } catch (RuntimeException e) {
            LOG.warn("Could not store the drill run: {}", e.getMessage());
        }
        try {
            live.announce().accept(summary(run));
        } catch (RuntimeException e) {
            LOG.warn("Could not announce the drill result: {}", e.getMessage());
        }
        if (run.ok()) {
            LOG.info(
                    "Drill {}: score {}/100, {} steps passed in {} ms",
                    run.id(),
                    run.score(),
                    run.passed(),
                    run.durationMillis());
        } else {
            LOG.warn("Drill {}: score {}/100, failed: {}", run.id(), run.score(), run.failures());
        }
        try {
            afterRun.run();
        } catch (RuntimeException e) {
            LOG.warn("After the drill: {}", e.getMessage());
        }
    }

    /** The ops-channel line of a run. */
    static String summary(DrillRun run) {
        String head = "Coordination drill " + run.id() + ": score " + run.score() + "/100, " + run.passed() + "/"
                + (run.passed() + run.failed()) + " steps passed in " + run.durationMillis() + " ms";
        if (run.ok()) {
            return head + ". Details: GET /api/drills";
        }
        List<String> parts = new ArrayList<>();
        for (DrillStep s : run.steps()) {
            if (s.status() == DrillStep.Status.FAIL && !s.message().startsWith("not run: ")) {
                String msg = s.message().length() > 160 ? s.message().substring(0, 159) + "…" : s.message();
                parts.add(s.name() + " (" + msg + ")");
            }
        }
        return head + ". FAILED: " + String.join("; ", parts) + ". Details: GET /api/drills";
    }

    private static String describe(Throwable t) {
        if (t instanceof AssertionError) {
            return t.getMessage();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static String random() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The configured interval; zero switches the schedule off. */
    public static Duration interval(HubConfig config) {
        return config.duration(Setting.DRILL_INTERVAL);
    }
}
