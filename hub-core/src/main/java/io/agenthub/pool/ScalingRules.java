package io.agenthub.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deployment guide's scaling rules (section 9), evaluated for one pool. Pure: the same view, fleet state and
 * policy give the same advice. The rules, in the order they decide (docs/operations.md has the same text):
 *
 * <ol>
 *   <li>{@code maintenance}: tier 4 is in force. Nobody claims; remove every idle agent.
 *   <li>{@code minimal_tier}: tier 3 is in force. Only the designated agent claims; hold.
 *   <li>Scale up when any of {@code no_agents} (tasks queued, nobody online), {@code utilisation} (busy / online above
 *       the high mark), {@code queue_growing} (more tasks created than claimed in the window, and some queued) or
 *       {@code latency_rising} (mean queue wait in the window at least the floor and above the previous window's
 *       times the factor) fires: add {@code clamp(ceil((busy + depth) / high) - online, 1, maxStep)}, unless {@code
 *       budget} fires (a fleet budget halt, or today's tokens at the budget fraction of the daily budget): then hold.
 *   <li>Scale down when {@code low_volume} (nothing queued and utilisation below the low mark) or {@code budget}
 *       fires: remove {@code min(maxStep, idle, online - max(minAgents, ceil(busy / high)))} if that is above 0.
 *   <li>Otherwise hold.
 * </ol>
 */
public final class ScalingRules {
    /** What the fleet as a whole says: the tier in force and the budget. */
    public record Fleet(int tier, boolean budgetHalted, long tokensToday, double dailyTokenBudget) {
        /** Tier 1, no budget. */
        public static final Fleet NORMAL = new Fleet(1, false, -1, Double.NaN);
    }

    /** One rule as evaluated. */
    public record Signal(String rule, boolean fired, String detail) {}

    /** The recommendation for one pool: {@code add}, {@code remove} or {@code hold} {@code count} agents. */
    public record Advice(String pool, String action, int count, String reason, List<Signal> signals) {
        public Advice {
            signals = List.copyOf(signals);
        }

        /** +count for add, -count for remove, 0 for hold. */
        public int delta() {
            return switch (action) {
                case "add" -> count;
                case "remove" -> -count;
                default -> 0;
            };
        }
    }

    private ScalingRules() {}

    public static Advice evaluate(PoolView p, Fleet fleet, ScalingPolicy policy) {
        List<Signal> signals = new ArrayList<>();
        boolean maintenance = fleet.tier() >= 4;
        signals.add(new Signal("maintenance", maintenance, "tier " + fleet.tier()));
        boolean minimal = fleet.tier() == 3;
        signals.add(new Signal("minimal_tier", minimal, minimal ? "only the designated agent claims" : ""));
        boolean noAgents = p.queueDepth() > 0 && p.online() == 0;
        signals.add(new Signal("no_agents", noAgents, p.queueDepth() + " queued, " + p.online() + " online"));
        boolean busy = p.online() > 0 && p.utilisation() > policy.highUtilisation();
        signals.add(new Signal(
                "utilisation",
                busy,
                p.busy() + " of " + p.online() + " online busy (" + pct(p.utilisation()) + ", high mark "
                        + pct(policy.highUtilisation()) + ")"));
        double window = Math.max(1, policy.window().toMinutes());
        boolean growing = p.queueDepth() > 0 && p.createdPerMinute() > p.claimsPerMinute();
        signals.add(new Signal(
                "queue_growing",
                growing,
                num(p.createdPerMinute() * window) + " created and " + num(p.claimsPerMinute() * window)
                        + " claimed in the window, " + p.queueDepth() + " queued"));
        double floor = policy.latencyFloor().toMillis() / 1000.0;
        boolean rising = p.meanWaitSeconds() >= floor
                && p.meanWaitSeconds() > policy.latencyFactor() * p.previousMeanWaitSeconds();
        signals.add(new Signal(
                "latency_rising",
                rising,
                "mean queue wait " + num(p.meanWaitSeconds()) + " s, previous window "
                        + num(p.previousMeanWaitSeconds()) + " s"));
        boolean budget = fleet.budgetHalted()
                || (fleet.tokensToday() >= 0
                        && !Double.isNaN(fleet.dailyTokenBudget())
                        && fleet.tokensToday() >= policy.budgetFraction() * fleet.dailyTokenBudget());
        signals.add(new Signal("budget", budget, budgetDetail(fleet)));
        boolean low = p.queueDepth() == 0 && p.utilisation() < policy.lowUtilisation();
        signals.add(new Signal(
                "low_volume",
                low,
                "nothing queued and " + pct(p.utilisation()) + " busy (low mark " + pct(policy.lowUtilisation())
                        + ")"));

        if (maintenance) {
            return p.idle() > 0
                    ? new Advice(
                            p.pool(), "remove", p.idle(), "maintenance window (tier 4): nobody claims tasks", signals)
                    : new Advice(p.pool(), "hold", 0, "maintenance window (tier 4) and no idle agents", signals);
        }
        if (minimal) {
            return new Advice(p.pool(), "hold", 0, "tier 3: only the designated agent claims tasks", signals);
        }
        if (noAgents || busy || growing || rising) {
            String why = fired(signals, "no_agents", "utilisation", "queue_growing", "latency_rising");
            int want = (int) Math.ceil((p.busy() + p.queueDepth()) / policy.highUtilisation()) - p.online();
            int n = Math.clamp(want, 1, policy.maxStep());
            if (budget) {
                return new Advice(
                        p.pool(), "hold", 0, why + " would add " + n + ", but the budget constrains", signals);
            }
            return new Advice(p.pool(), "add", n, why, signals);
        }
        if (low || budget) {
            int keep = Math.max(policy.minAgents(), (int) Math.ceil(p.busy() / policy.highUtilisation()));
            int n = Math.min(policy.maxStep(), Math.min(p.idle(), p.online() - keep));
            if (n > 0) {
                return new Advice(p.pool(), "remove", n, fired(signals, "low_volume", "budget"), signals);
            }
        }
        return new Advice(
                p.pool(),
                "hold",
                0,
                "within bounds: " + p.queueDepth() + " queued, " + pct(p.utilisation()) + " of " + p.online()
                        + " online busy",
                signals);
    }

    private static String fired(List<Signal> signals, String... rules) {
        List<String> out = new ArrayList<>();
        for (Signal s : signals) {
            if (s.fired() && List.of(rules).contains(s.rule())) {
                out.add(s.rule() + " (" + s.detail() + ")");
            }
        }
        return String.join("; ", out);
    }

    private static String budgetDetail(Fleet f) {
        if (f.budgetHalted()) {
            return "fleet budget halt in force";
        }
        if (Double.isNaN(f.dailyTokenBudget()) || f.tokensToday() < 0) {
            return "no daily token budget";
        }
        return f.tokensToday() + " of " + (long) f.dailyTokenBudget() + " tokens today";
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
