package io.agenthub.server.http;

import io.agenthub.tier.Work;
import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.BudgetService;
import io.agenthub.usage.Halt;
import io.agenthub.usage.ModelCall;
import io.agenthub.usage.UsageReceipt;
import io.agenthub.usage.UsageService;
import io.agenthub.usage.Usd;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/usage} (report a model call and get a directive; usage over days), {@code /api/budget} (today's spend,
 * alerts and halts; an admin's acknowledgement) and {@code /api/routing} (which model for a task). Amounts are USD.
 */
public final class UsageRoutes {
    private final UsageService usage;
    private final BudgetService budgets;

    record ReportBody(
            String model,
            Long inputTokens,
            Long outputTokens,
            Long cacheReadTokens,
            Long cacheWriteTokens,
            Long contextTokens,
            Integer status) {}

    record AckBody(String agentId, String note) {}

    record HaltView(String scope, String day, BigDecimal spendUsd, Instant since) {
        static HaltView of(Halt h) {
            return new HaltView(h.scope(), h.day(), Usd.dollars(h.spendNanos()), h.since());
        }
    }

    record AlertView(String day, String scope, BudgetLevel level, BigDecimal spendUsd, Instant at) {
        static AlertView of(BudgetAlert a) {
            return new AlertView(a.day(), a.scope(), a.level(), Usd.dollars(a.spendNanos()), a.at());
        }
    }

    record AckView(HaltView halt, String by, String note, Instant at) {
        static AckView of(Acknowledgement a) {
            return new AckView(HaltView.of(a.halt()), a.by(), a.note(), a.at());
        }
    }

    public UsageRoutes(UsageService usage, BudgetService budgets) {
        this.usage = usage;
        this.budgets = budgets;
    }

    public void register(Router r) {
        r.post("/api/usage", Access.WRITE, Work.UPKEEP, call -> {
            ReportBody b = call.body(ReportBody.class);
            UsageReceipt receipt = usage.report(
                    call.principal(),
                    new ModelCall(
                            b.model(),
                            zero(b.inputTokens()),
                            zero(b.outputTokens()),
                            zero(b.cacheReadTokens()),
                            zero(b.cacheWriteTokens()),
                            b.contextTokens()),
                    b.status());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(Directives.DIRECTIVE, receipt.directive().name().toLowerCase(Locale.ROOT));
            if (receipt.delaySeconds() > 0) {
                headers.put(Directives.DELAY, Long.toString(receipt.delaySeconds()));
            }
            return Directives.with(Reply.ok(receipt), headers);
        });
        r.get(
                "/api/usage",
                Access.READ,
                call -> Reply.ok(usage.summary(
                        call.query("from"), call.query("to"), call.query("agentId"), call.query("pool"))));
        r.get("/api/budget", Access.READ, call -> Reply.ok(budget(budgets)));
        r.post("/api/budget/acknowledge", Access.ADMIN, call -> {
            AckBody b = call.body(AckBody.class);
            return Reply.ok(
                    Map.of("acknowledged", AckView.of(budgets.acknowledge(call.principal(), b.agentId(), b.note()))));
        });
        r.get("/api/routing", Access.READ, call -> Reply.ok(Map.of("advice", usage.routing(call.query("complexity")))));
    }

    /** Today's spend, levels, halts and acknowledgements as {@code /api/budget} shows them. */
    static Map<String, Object> budget(BudgetService budgets) {
        BudgetService.Status s = budgets.status();
        Map<String, Object> thresholds = new LinkedHashMap<>();
        s.thresholds()
                .forEach((level, nanos) -> thresholds.put(level.name().toLowerCase(Locale.ROOT), Usd.dollars(nanos)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("day", s.day());
        out.put("timeZone", s.timeZone());
        out.put("fleetSpendUsd", Usd.dollars(s.fleetNanos()));
        out.put("level", s.level());
        out.put("thresholdsUsd", thresholds);
        out.put("throttleDelaySeconds", budgets.policy().throttleDelay().toSeconds());
        out.put("llmThrottling", budgets.llmThrottling().state());
        out.put("halts", s.halts().stream().map(HaltView::of).toList());
        out.put("alerts", s.alerts().stream().map(AlertView::of).toList());
        out.put(
                "acknowledgements",
                s.acknowledgements().stream().map(AckView::of).toList());
        return out;
    }

    private static long zero(Long v) {
        return v == null ? 0 : v;
    }
}
