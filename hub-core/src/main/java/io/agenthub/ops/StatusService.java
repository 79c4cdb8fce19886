package io.agenthub.ops;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Presence;
import io.agenthub.alert.Severity;
import io.agenthub.auth.Role;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.tier.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deployment guide's dashboard table, computed live: active agents, average response time, error rate,
 * coordination conflicts and self-test pass rate, each classified with its {@link Threshold}.
 *
 * <ul>
 *   <li><b>Agent count</b>: agents (role agent) that are online now.
 *   <li><b>Average response</b>: mean latency of API requests over the window, long-polls and event streams excluded.
 *   <li><b>Error rate</b>: see {@link Counters.Window#errorRate()}.
 *   <li><b>Coordination conflicts</b>: lease acquisitions refused because another agent held an overlapping lease, over
 *       all acquisitions in the window.
 *   <li><b>Test pass rate</b>: passed / (passed + failed) checks of the latest self-test run.
 * </ul>
 *
 * <p>The {@code overall} level is the worst of the five rows, of the alerts firing (a warning alert makes it at least
 * warning, a critical one critical) and of the degradation tier: tiers 2 (reduced) and 3 (minimal) make it at least
 * warning, tier 4 (maintenance) critical, since in maintenance the fleet can do no work at all, however planned.
 * {@code overallReasons} names each cause that is not good, so that an operator sees why.
 */
public final class StatusService {
    private final Supplier<List<Agent>> agents;
    private final Counters counters;
    private final Supplier<Optional<SelfTestRun>> lastRun;
    private final Thresholds thresholds;
    private final Duration window;
    private final InstantSource clock;

    /** The five thresholds. */
    public record Thresholds(
            Threshold agentCount,
            Threshold avgResponseSeconds,
            Threshold errorRate,
            Threshold conflictRate,
            Threshold passRate) {
        /** The guide's values. */
        public static Thresholds guide() {
            return new Thresholds(
                    Threshold.higherIsBetter(2, 1),
                    Threshold.lowerIsBetter(5, 15),
                    Threshold.lowerIsBetter(0.01, 0.05),
                    Threshold.lowerIsBetter(0.05, 0.10),
                    Threshold.higherIsBetter(1.0, 0.95));
        }
    }

    /**
     * One row of the table.
     *
     * @param value the measurement, or null when there is nothing to measure (no self-test run yet)
     * @param display the value for people, e.g. {@code 2.5%}
     * @param basis what it was computed from, e.g. {@code 3 of 120 requests}
     */
    public record Metric(
            String name, Double value, String display, Threshold.Level level, String thresholds, String basis) {}

    /** An alert that fires now (fleet-wide). */
    public record FiringAlert(String name, Severity severity) {}

    /**
     * The table, with the worst level of its rows, the firing alerts and the tier as {@code overall}.
     *
     * @param overallReasons what makes {@code overall} worse than good, each with its level, e.g. {@code alert
     *     HighErrorRate firing: warning} or {@code tier 2 (reduced): warning}; empty when it is good
     * @param alertsFiring the alerts firing now
     */
    public record Status(
            Instant at,
            long windowSeconds,
            Threshold.Level overall,
            List<String> overallReasons,
            List<Metric> metrics,
            Tier tier,
            List<FiringAlert> alertsFiring) {}

    private final Supplier<Tier> tier;
    private final Supplier<List<FiringAlert>> firing;

    /**
     * @param tier the degradation tier in force
     * @param firing the alerts that fire now
     */
    public StatusService(
            Supplier<List<Agent>> agents,
            Counters counters,
            Supplier<Optional<SelfTestRun>> lastRun,
            Thresholds thresholds,
            Duration window,
            Supplier<Tier> tier,
            Supplier<List<FiringAlert>> firing,
            InstantSource clock) {
        this.agents = agents;
        this.counters = counters;
        this.lastRun = lastRun;
        this.thresholds = thresholds;
        this.window = window;
        this.tier = tier;
        this.firing = firing;
        this.clock = clock;
    }

    /** How a tier counts in the overall level: 1 good, 2 and 3 warning, 4 (maintenance: no work at all) critical. */
    public static Threshold.Level level(Tier tier) {
        return switch (tier) {
            case FULL -> Threshold.Level.GOOD;
            case REDUCED, MINIMAL -> Threshold.Level.WARNING;
            case MAINTENANCE -> Threshold.Level.CRITICAL;
        };
    }

    /** How a firing alert counts in the overall level: critical or warning as its severity; info not at all. */
    public static Threshold.Level level(Severity severity) {
        return switch (severity) {
            case CRITICAL -> Threshold.Level.CRITICAL;
            case WARNING -> Threshold.Level.WARNING;
            case INFO -> Threshold.Level.GOOD;
        };
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    public Status status() {
        List<Agent> all = agents.get();
        long registered = all.stream().filter(a -> a.role() == Role.AGENT).count();
        long active = activeAgents(all);
        long disabled = disabledAgents(all);
        Counters.Window w = counters.window(window);
        Optional<SelfTestRun> run = lastRun.get();

        Threshold t = thresholds.agentCount();
        Metric agentCount = new Metric(
                "agentCount",
                (double) active,
                active + " active",
                t.classify((double) active),
                "good >= " + num(t.good()) + ", warning >= " + num(t.warning()) + ", critical below",
                active + " of " + registered + " agents online"
                        + (disabled == 0 ? "" : " (" + disabled + " disabled)"));

        t = thresholds.avgResponseSeconds();
        long timed = w.get(Counters.TIMED_REQUESTS);
        double seconds = w.averageMillis() / 1000.0;
        Metric avg = new Metric(
                "avgResponse",
                seconds,
                String.format(Locale.ROOT, "%.3f s", seconds),
                t.classify(seconds),
                "good < " + num(t.good()) + " s, warning <= " + num(t.warning()) + " s, critical above",
                timed + " requests");

        t = thresholds.errorRate();
        double rate = w.errorRate();
        Metric errors = new Metric(
                "errorRate",
                rate,
                pct(rate),
                t.classify(rate),
                "good < " + pct(t.good()) + ", warning <= " + pct(t.warning()) + ", critical above",
                (w.get(Counters.SERVER_ERRORS) + w.get(Counters.REPORTED_FAILURES)) + " failures ("
                        + w.get(Counters.SERVER_ERRORS) + " server errors, " + w.get(Counters.REPORTED_FAILURES)
                        + " reported) in " + w.get(Counters.REQUESTS) + " requests");

        t = thresholds.conflictRate();
        double conflicts = w.conflictRate();
        Metric coordination = new Metric(
                "coordinationConflicts",
                conflicts,
                pct(conflicts),
                t.classify(conflicts),
                "good < " + pct(t.good()) + ", warning <= " + pct(t.warning()) + ", critical above",
                w.get(Counters.LEASE_CONFLICTS) + " refused of "
                        + (w.get(Counters.LEASE_GRANTS) + w.get(Counters.LEASE_CONFLICTS)) + " lease acquisitions");

        t = thresholds.passRate();
        Double pass = run.map(SelfTestRun::passRate).orElse(null);
        Metric tests = new Metric(
                "testPassRate",
                pass,
                pass == null ? "no run yet" : pct(pass),
                t.classify(pass),
                "good >= " + pct(t.good()) + ", warning >= " + pct(t.warning()) + ", critical below",
                run.map(r -> r.passed() + " of " + (r.passed() + r.failed()) + " checks passed at " + r.startedAt())
                        .orElse("the self-test has not run yet"));

        List<Metric> metrics = List.of(agentCount, avg, errors, coordination, tests);
        Overall overall = new Overall();
        for (Metric m : metrics) {
            overall.add(m.level(), m.name() + " " + m.display());
        }
        List<FiringAlert> alerts = List.copyOf(firing.get());
        for (FiringAlert a : alerts) {
            overall.add(level(a.severity()), "alert " + a.name() + " firing");
        }
        Tier now = tier.get();
        overall.add(level(now), "tier " + now.number() + " (" + now.label() + ")");
        return new Status(
                clock.instant(), window.toSeconds(), overall.level, List.copyOf(overall.reasons), metrics, now, alerts);
    }

    /** The worst level seen and what was not good; unknown rows (nothing measured yet) do not count. */
    private static final class Overall {
        Threshold.Level level = Threshold.Level.GOOD;
        final List<String> reasons = new ArrayList<>();

        void add(Threshold.Level l, String what) {
            if (l == Threshold.Level.UNKNOWN || l == Threshold.Level.GOOD) {
                return;
            }
            reasons.add(what + ": " + label(l.name()));
            if (l.ordinal() > level.ordinal()) {
                level = l;
            }
        }
    }

    private static String label(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Agents with role agent that are online and not disabled (a disabled agent stays online until the reaper sees it
     * silent, but it can no longer act).
     */
    public static long activeAgents(List<Agent> all) {
        return all.stream()
                .filter(a -> a.role() == Role.AGENT && a.presence() == Presence.ONLINE && a.disabled() == null)
                .count();
    }

    /** Agents with role agent that an admin has disabled. */
    public static long disabledAgents(List<Agent> all) {
        return all.stream()
                .filter(a -> a.role() == Role.AGENT && a.disabled() != null)
                .count();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
