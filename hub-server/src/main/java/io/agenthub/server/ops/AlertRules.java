package io.agenthub.server.ops;

import io.agenthub.agent.Agent;
import io.agenthub.alert.AlertRule;
import io.agenthub.alert.Reading;
import io.agenthub.alert.Severity;
import io.agenthub.auth.Role;
import io.agenthub.drill.DrillRun;
import io.agenthub.ops.Counters;
import io.agenthub.ops.StatusService;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import io.agenthub.tier.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in alert rules, with thresholds from the configuration. The guide's rules (AllAgentsDown, HighErrorRate,
 * TokenBudgetExceeded), stalled agents, self-test failures and a failed coordination drill alert; ErrorStorm, SelfTestCritical and BudgetHalt also
 * demand a degradation tier while they fire.
 */
public final class AlertRules {
    /** The names of the built-in rules, in evaluation order. */
    public static final List<String> NAMES = List.of(
            "AllAgentsDown",
            "HighErrorRate",
            "TokenBudgetExceeded",
            "AgentsStalled",
            "SelfTestFailing",
            "DrillFailed",
            "ErrorStorm",
            "SelfTestCritical",
            "BudgetHalt");

    private AlertRules() {}

    /** The rules that {@code alert-disabled} does not switch off. */
    public static List<AlertRule> build(
            HubConfig config,
            Supplier<List<Agent>> agents,
            Counters counters,
            Supplier<Optional<SelfTestRun>> lastRun,
            Supplier<Optional<DrillRun>> lastDrill,
            FleetSignals signals) {
        Set<String> disabled = Set.copyOf(config.list(Setting.ALERT_DISABLED));
        for (String name : disabled) {
            if (!NAMES.contains(name)) {
                throw new HubConfig.InvalidSetting("Setting " + Setting.ALERT_DISABLED.key()
                        + " names an unknown rule '" + name + "'; the rules are " + String.join(", ", NAMES) + ".");
            }
        }
        Duration window = config.duration(Setting.ERROR_RATE_WINDOW);
        double errorRate = config.decimal(Setting.ALERT_ERROR_RATE);
        double stormRate = config.decimal(Setting.TIER_AUTO_ERROR_RATE);
        double passRate = config.decimal(Setting.ALERT_SELF_TEST_PASS_RATE);
        double criticalPass = config.decimal(Setting.TIER_AUTO_PASS_RATE);
        String budgetText = config.string(Setting.ALERT_DAILY_TOKEN_BUDGET).strip();
        OptionalLong budget = budgetText.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(budgetText));

        List<AlertRule> rules = new ArrayList<>();
        rules.add(new AlertRule(
                "AllAgentsDown",
                Severity.CRITICAL,
                config.duration(Setting.ALERT_AGENTS_DOWN_FOR),
                "active agents == 0",
                "No registered agent is online.",
                null,
                () -> {
                    List<Agent> all = agents.get();
                    long registered =
                            all.stream().filter(a -> a.role() == Role.AGENT).count();
                    long active = StatusService.activeAgents(all);
                    return new Reading(
                            (double) active,
                            registered > 0 && active == 0,
                            active + " of " + registered + " registered agents online");
                }));
        rules.add(new AlertRule(
                "HighErrorRate",
                Severity.WARNING,
                config.duration(Setting.ALERT_ERROR_RATE_FOR),
                "error_rate > " + errorRate,
                "The error rate (server errors and reported failures over requests) is high.",
                null,
                () -> errorRate(counters, window, errorRate)));
        rules.add(new AlertRule(
                "TokenBudgetExceeded",
                Severity.WARNING,
                Duration.ZERO,
                "daily_tokens > " + (budget.isPresent() ? budget.getAsLong() : "budget"),
                "The fleet used more tokens today than the daily budget.",
                null,
                () -> {
                    if (budget.isEmpty()) {
                        return Reading.unknown("no daily token budget configured (alert-daily-token-budget)");
                    }
                    OptionalLong used = signals.tokensToday();
                    if (used.isEmpty()) {
                        return Reading.unknown("token usage today is unknown: no usage source is connected");
                    }
                    return new Reading(
                            (double) used.getAsLong(),
                            used.getAsLong() > budget.getAsLong(),
                            used.getAsLong() + " tokens today, budget " + budget.getAsLong());
                }));
        rules.add(new AlertRule(
                "AgentsStalled",
                Severity.WARNING,
                config.duration(Setting.ALERT_STALLED_FOR),
                "stalled agents > 0",
                "Agents are present but make no progress (missed heartbeats).",
                null,
                () -> {
                    List<String> stalled = signals.stalledAgents();
                    return new Reading(
                            (double) stalled.size(),
                            !stalled.isEmpty(),
                            stalled.isEmpty() ? "no stalled agents" : "stalled: " + String.join(", ", stalled));
                }));
        rules.add(new AlertRule(
                "SelfTestFailing",
                Severity.WARNING,
                Duration.ZERO,
                "self-test pass rate < " + passRate,
                "Checks of the self-test (GET /api/tools-test) fail.",
                null,
                () -> passRate(lastRun, passRate)));
        rules.add(new AlertRule(
                "DrillFailed",
                Severity.WARNING,
                Duration.ZERO,
                "latest drill failed",
                "Steps of the latest coordination drill (GET /api/drills) failed.",
                null,
                () -> drill(lastDrill)));
        rules.add(new AlertRule(
                "ErrorStorm",
                Severity.CRITICAL,
                config.duration(Setting.TIER_AUTO_FOR),
                "error_rate > " + stormRate,
                "The error rate is so high that only core agents should take new work.",
                Tier.REDUCED,
                () -> errorRate(counters, window, stormRate)));
        rules.add(new AlertRule(
                "SelfTestCritical",
                Severity.CRITICAL,
                Duration.ZERO,
                "self-test pass rate < " + criticalPass,
                "Most self-test checks fail: capabilities are broken; only core agents should take new work.",
                Tier.REDUCED,
                () -> passRate(lastRun, criticalPass)));
        rules.add(new AlertRule(
                "BudgetHalt",
                Severity.CRITICAL,
                Duration.ZERO,
                "budget emergency halt in force",
                "Spend reached the emergency threshold: no new work until a human acknowledges.",
                Tier.MAINTENANCE,
                () -> signals.budgetHalted()
                        ? new Reading(1.0, true, "the daily budget's emergency halt is in force")
                        : new Reading(0.0, false, "no budget halt in force")));
        return rules.stream().filter(r -> !disabled.contains(r.name())).toList();
    }

    private static Reading errorRate(Counters counters, Duration window, double threshold) {
        Counters.Window w = counters.window(window);
        // Each reporter's failures weigh at most a third of the threshold: one agent cannot tip the rate alone.
        double rate = w.weighedErrorRate(threshold);
        long failures = Math.round(w.weighedFailures(threshold));
        return new Reading(
                rate,
                rate > threshold,
                String.format(
                        Locale.ROOT,
                        "error rate %.1f%% (%d failures in %d requests over %d min)",
                        rate * 100,
                        failures,
                        w.get(Counters.REQUESTS),
                        window.toMinutes()));
    }

    private static Reading drill(Supplier<Optional<DrillRun>> lastDrill) {
        Optional<DrillRun> run = lastDrill.get();
        if (run.isEmpty()) {
            return Reading.unknown("the coordination drill has not run yet");
        }
        DrillRun r = run.get();
        return new Reading(
                r.ok() ? 0.0 : 1.0,
                !r.ok(),
                "drill " + r.id() + " scored " + r.score() + "/100"
                        + (r.ok() ? "" : "; failed: " + String.join(", ", r.failures())));
    }

    private static Reading passRate(Supplier<Optional<SelfTestRun>> lastRun, double threshold) {
        Optional<SelfTestRun> run = lastRun.get();
        if (run.isEmpty()) {
            return Reading.unknown("the self-test has not run yet");
        }
        SelfTestRun r = run.get();
        return new Reading(
                r.passRate(),
                r.passRate() < threshold,
                String.format(
                        Locale.ROOT,
                        "self-test %d/%d passing (%.0f%%)%s",
                        r.passed(),
                        r.passed() + r.failed(),
                        r.passRate() * 100,
                        r.failures().isEmpty() ? "" : "; failed: " + String.join(", ", r.failures())));
    }
}
