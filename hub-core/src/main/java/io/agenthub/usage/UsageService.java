package io.agenthub.usage;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.handoff.HandoffService;
import io.agenthub.lifecycle.Activity;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Token usage per model call: prices it, adds it to the counters of the agent, its pool and the fleet for the day,
 * judges the agent's context size and the budgets, and answers with a {@link Directive}. Reaching the transfer
 * threshold also creates the transfer handoff. Also answers usage reports over days and routing advice.
 */
public final class UsageService {
    /** The longest range of days one usage query may cover. */
    public static final int MAX_DAYS = 366;

    private static final long MAX_TOKENS = 1_000_000_000L;

    private final UsageStore store;
    private final PriceTable prices;
    private final ContextPolicy context;
    private final RoutingPolicy routing;
    private final BudgetService budgets;
    private final AgentService agents;
    private final HandoffService handoffs;
    private final Activity activity;
    private final UsageEvents events;

    /** @param events told of every recorded model call after the store's atomic step (metrics, counters) */
    public UsageService(
            UsageStore store,
            PriceTable prices,
            ContextPolicy context,
            RoutingPolicy routing,
            BudgetService budgets,
            AgentService agents,
            HandoffService handoffs,
            Activity activity,
            UsageEvents events) {
        this.events = events;
        this.store = store;
        this.prices = prices;
        this.context = context;
        this.routing = routing;
        this.budgets = budgets;
        this.agents = agents;
        this.handoffs = handoffs;
        this.activity = activity;
    }

    public PriceTable prices() {
        return prices;
    }

    public ContextPolicy contextPolicy() {
        return context;
    }

    /** Records one model call of the caller and tells it what to do next. */
    public UsageReceipt report(Principal caller, ModelCall call) {
        return report(caller, call, null);
    }

    /**
     * Records one model call of the caller, with the HTTP status the provider answered it with ({@code status}, null
     * if not given), and tells it what to do next. A status of 429 or 529 counts as an LLM throttling report
     * ({@link LlmThrottling}) before the directive is chosen, so the receipt already carries a back-off it starts.
     */
    public UsageReceipt report(Principal caller, ModelCall call, Integer status) {
        caller.requireWriter();
        if (status != null) {
            Require.range("status", status, 100, 599);
            if (!caller.isAdmin()) {
                budgets.llmThrottling().report(caller.id(), status);
            }
        }
        if (caller.isAdmin() || call == null) {
            throw new HubException.InvalidRequest(
                    "Agents report their own model calls with their own token: {model, inputTokens, outputTokens,"
                            + " cacheReadTokens, cacheWriteTokens, contextTokens}.");
        }
        String model = Require.text("model", call.model(), 128).strip();
        Tally tally = new Tally(
                1,
                Require.range("inputTokens", call.inputTokens(), 0, MAX_TOKENS),
                Require.range("outputTokens", call.outputTokens(), 0, MAX_TOKENS),
                Require.range("cacheReadTokens", call.cacheReadTokens(), 0, MAX_TOKENS),
                Require.range("cacheWriteTokens", call.cacheWriteTokens(), 0, MAX_TOKENS),
                price(model).cost(call));
        if (call.contextTokens() != null) {
            Require.range("contextTokens", call.contextTokens(), 0, 100_000_000);
        }
        Agent agent = agents.get(caller.id());
        String pool = BudgetService.pool(agent);
        UsageEntry entry = new UsageEntry(budgets.today(), agent.id(), pool, model, tally);
        DayTotals totals = store.record(entry);
        events.recorded(entry, totals);
        if (call.contextTokens() != null) {
            agents.heartbeat(caller, null, null, call.contextTokens());
        }
        activity.progressed(agent.id());
        Standing standing = budgets.afterUsage(agent, totals);
        long tokens = call.contextTokens() != null ? call.contextTokens() : agent.contextTokens();
        ContextPolicy.Limits limits = context.limitsFor(agent.id(), model);
        String handoffId = null;
        if (tokens >= limits.transfer()) {
            handoffId = handoffs.transfer(agent, contextText(tokens, limits.transfer(), "transfer"))
                    .handoff()
                    .id();
        }
        Directive directive = directive(standing, tokens, limits);
        return new UsageReceipt(
                directive,
                reason(directive, standing, tokens, limits, handoffId),
                directive == Directive.SLOW_DOWN ? standing.delay().toSeconds() : 0,
                tokens,
                limits.warn(),
                limits.transfer(),
                totals.day(),
                model,
                Usd.dollars(tally.costNanos()),
                Usd.dollars(totals.agent().costNanos()),
                Usd.dollars(totals.pool().costNanos()),
                Usd.dollars(totals.fleet().costNanos()),
                standing.agentBudgetNanos() == null ? null : Usd.dollars(standing.agentBudgetNanos()),
                standing.level(),
                handoffId);
    }

    private ModelPrice price(String model) {
        return prices.priceOf(model)
                .orElseThrow(() -> new HubException.InvalidRequest(
                        "No price for model " + model + "; the price table knows "
                                + prices.prices().stream()
                                        .map(ModelPrice::match)
                                        .toList()
                                + ". Ask an operator to add it (setting prices).",
                        Map.of("field", "model")));
    }

    private static Directive directive(Standing standing, long tokens, ContextPolicy.Limits limits) {
        if (standing.halted()) {
            return Directive.HALT;
        }
        if (tokens >= limits.transfer()) {
            return Directive.TRANSFER;
        }
        if (standing.throttled()) {
            return Directive.SLOW_DOWN;
        }
        return tokens >= limits.warn() ? Directive.WARN : Directive.OK;
    }

    private String reason(Directive d, Standing standing, long tokens, ContextPolicy.Limits limits, String handoffId) {
        return switch (d) {
            case OK -> "Carry on.";
            case WARN -> contextText(tokens, limits.warn(), "warn") + " Save a checkpoint soon and keep it small.";
            case TRANSFER ->
                contextText(tokens, limits.transfer(), "transfer") + " Save a checkpoint now and stop; handoff "
                        + handoffId + " carries your work to a fresh session, which picks it up with hot-start.";
            case SLOW_DOWN ->
                standing.level().compareTo(BudgetLevel.THROTTLE) < 0
                        ? budgets.llmThrottling().state().reason()
                        : "The fleet spent " + Usd.text(standing.fleetNanos()) + " today, past the "
                                + Usd.text(budgets.policy().throttle()) + " throttle threshold: wait "
                                + standing.delay().toSeconds()
                                + " s between model calls, prefer cheaper models, and take"
                                + " new work only when you must.";
            case HALT -> {
                Halt h = standing.halt();
                String who = h.scope().equals(BudgetService.FLEET) ? "The fleet" : "You";
                yield who + " spent " + Usd.text(h.spendNanos()) + " on " + h.day() + ", past the halt threshold:"
                        + " save a checkpoint and stop. The hub takes no new work until an operator acknowledges.";
            }
        };
    }

    private static String contextText(long tokens, long threshold, String what) {
        return String.format(java.util.Locale.ROOT, "Context at %,d tokens (%s at %,d).", tokens, what, threshold);
    }

    /** Where the caller stands today; for agents only. */
    public Standing standing(Principal caller) {
        return budgets.standing(agents.get(caller.id()));
    }

    /** Routing advice for {@code complexity} (all complexities when null) at today's budget level. */
    public List<RoutingAdvice> routing(String complexity) {
        BudgetLevel level = budgets.halts().stream().anyMatch(h -> h.scope().equals(BudgetService.FLEET))
                ? BudgetLevel.HALT
                : budgets.policy()
                        .levelOf(store.totals(budgets.today(), "", "").fleet().costNanos());
        if (complexity == null || complexity.isBlank()) {
            return routing.table(level, prices);
        }
        return List.of(routing.advise(Complexity.parse(complexity), level, prices));
    }

    /**
     * Usage over the days {@code from..to} (defaults: today), optionally only of one agent or pool.
     *
     * @param from first day, {@code yyyy-MM-dd}, or null
     * @param to last day, or null for {@code from}
     */
    public UsageSummary summary(String from, String to, String agentId, String pool) {
        LocalDate first = day("from", from, LocalDate.parse(budgets.today()));
        LocalDate last = day("to", to, first);
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new HubException.InvalidRequest(
                    "Need from <= to, at most " + MAX_DAYS + " days apart; got " + first + " to " + last + ".");
        }
        List<UsageRow> rows = store.rows(first.toString(), last.toString()).stream()
                .filter(r -> agentId == null || agentId.isBlank() || r.agentId().equals(agentId))
                .filter(r -> pool == null || r.pool().equals(pool))
                .toList();
        Tally total = rows.stream().map(UsageRow::tally).reduce(Tally.ZERO, Tally::plus);
        return new UsageSummary(
                budgets.zone().getId(),
                first.toString(),
                last.toString(),
                UsageSummary.Line.of("total", total),
                byCost(rows, UsageRow::agentId),
                byCost(rows, UsageRow::pool),
                byCost(rows, UsageRow::model),
                group(rows, UsageRow::day, new TreeMap<>()));
    }

    private static List<UsageSummary.Line> byCost(List<UsageRow> rows, Function<UsageRow, String> key) {
        List<UsageSummary.Line> lines = new ArrayList<>(group(rows, key, new LinkedHashMap<>()));
        lines.sort(Comparator.comparing(UsageSummary.Line::costUsd).reversed().thenComparing(UsageSummary.Line::key));
        return lines;
    }

    private static List<UsageSummary.Line> group(
            List<UsageRow> rows, Function<UsageRow, String> key, Map<String, Tally> into) {
        for (UsageRow r : rows) {
            into.merge(key.apply(r), r.tally(), Tally::plus);
        }
        return into.entrySet().stream()
                .map(e -> UsageSummary.Line.of(e.getKey(), e.getValue()))
                .toList();
    }

    private static LocalDate day(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new HubException.InvalidRequest(
                    field + " must be a day such as 2026-01-31; got '" + value + "'.", Map.of("field", field));
        }
    }
}
