package io.agenthub.server.http;

import io.agenthub.alert.AlertEngine;
import io.agenthub.alert.AlertState;
import io.agenthub.error.HubException;
import io.agenthub.ops.StatusService;
import io.agenthub.server.ops.WebhookNotifier;
import io.agenthub.server.wire.Since;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.TierService;
import io.agenthub.trace.TraceCursor;
import io.agenthub.trace.TraceService;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Operators' views and controls: {@code /api/status}, {@code /api/tier}, {@code /api/alerts}, {@code /api/trace}. */
public final class OpsRoutes {
    private final StatusService status;
    private final TierService tiers;
    private final AlertEngine alerts;
    private final TraceService traces;
    private final Supplier<List<WebhookNotifier.Stats>> webhooks;
    private final InstantSource clock;

    record TierBody(Integer tier, String reason, String agent) {}

    public OpsRoutes(
            StatusService status,
            TierService tiers,
            AlertEngine alerts,
            TraceService traces,
            Supplier<List<WebhookNotifier.Stats>> webhooks,
            InstantSource clock) {
        this.status = status;
        this.tiers = tiers;
        this.alerts = alerts;
        this.traces = traces;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    public void register(Router r) {
        r.get("/api/status", Access.READ, call -> Reply.ok(status(status, tiers)));
        r.get("/api/tier", Access.READ, call -> {
            Map<String, Object> out = tier(tiers.current());
            out.put("demandedByRules", alerts.demandedTiers());
            out.put(
                    "history",
                    tiers.history(call.queryInt("limit", 20, 1, 1000)).stream()
                            .map(OpsRoutes::tier)
                            .toList());
            return Reply.ok(out);
        });
        r.post("/api/tier", Access.ADMIN, call -> {
            TierBody b = call.body(TierBody.class);
            if (b.tier() == null) {
                throw new HubException.InvalidRequest("tier is required: 1 (full) to 4 (maintenance).");
            }
            TierChange set = tiers.set(call.principal(), b.tier(), b.reason(), b.agent(), alerts.demandedTiers());
            return Reply.ok(tier(set));
        });
        r.get("/api/alerts", Access.READ, call -> {
            Map<String, Object> out = new LinkedHashMap<>();
            List<Map<String, Object>> rules =
                    alerts.status().stream().map(OpsRoutes::rule).toList();
            out.put(
                    "firing",
                    rules.stream()
                            .filter(m -> m.get("state") == AlertState.Status.FIRING)
                            .toList());
            out.put("rules", rules);
            out.put("history", alerts.history(call.queryInt("history", 50, 1, 1000)));
            out.put("webhooks", webhooks.get());
            return Reply.ok(out);
        });
        r.get("/api/trace", Access.READ, call -> {
            Integer limit = call.queryInt("limit", 1, 5000);
            String agent = call.query("agentId");
            TraceService.Page page = traces.trail(
                    call.principal(),
                    agent,
                    Since.parse(call.query("since"), clock),
                    TraceCursor.parse(call.query("before")),
                    limit);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("agentId", agent == null ? call.principal().id() : agent);
            out.put("entries", page.entries());
            out.put(
                    "prevCursor",
                    page.prevCursor() == null ? null : page.prevCursor().toString());
            return Reply.ok(out);
        });
    }

    /** The status table as {@code /api/status} shows it. */
    static Map<String, Object> status(StatusService status, TierService tiers) {
        StatusService.Status st = status.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("overall", st.overall());
        out.put("overallReasons", st.overallReasons());
        out.put("at", st.at());
        out.put("windowSeconds", st.windowSeconds());
        out.put("metrics", st.metrics());
        out.put("tier", tier(tiers.current()));
        out.put(
                "alertsFiring",
                st.alertsFiring().stream().map(StatusService.FiringAlert::name).toList());
        return out;
    }

    /** The tier as {@code /api/tier} shows it. */
    static Map<String, Object> tier(TierChange t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tier", t.tier().number());
        m.put("name", t.tier().label());
        m.put("baseline", t.baseline().number());
        m.put("reason", t.reason());
        m.put("setBy", t.actor());
        m.put("agent", t.tier() == Tier.MINIMAL ? t.agent() : null);
        // Sequence 0 is the state of a hub whose tier was never set: there is no time it changed.
        m.put("since", t.seq() == 0 ? null : t.at());
        m.put("automatic", t.automatic());
        return m;
    }

    /** An alert rule as {@code /api/alerts} shows it. */
    static Map<String, Object> rule(AlertEngine.RuleStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.rule().name());
        m.put("severity", s.rule().severity());
        m.put("condition", s.rule().condition());
        m.put("forSeconds", s.rule().holdFor().toSeconds());
        m.put("description", s.rule().description());
        m.put("raisesTier", s.rule().raises() == null ? null : s.rule().raises().number());
        m.put("state", s.state().status());
        m.put("since", s.state().version() == 0 ? null : s.state().since());
        m.put("value", s.state().value());
        m.put("summary", s.state().summary());
        m.put("lastReading", s.lastReading());
        return m;
    }
}
