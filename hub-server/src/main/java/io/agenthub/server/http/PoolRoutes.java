package io.agenthub.server.http;

import io.agenthub.pool.PoolService;
import io.agenthub.pool.PoolView;
import io.agenthub.pool.ScalingRules;
import io.agenthub.tier.Work;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/pools} (agents by version and presence, queue, rates per version) and {@code /api/scaling} (the scaling
 * rules evaluated per pool, and the admin's scale-down that tells idle agents to checkpoint and exit).
 */
public final class PoolRoutes {
    private final PoolService pools;

    record ScaleDownBody(Integer count) {}

    public PoolRoutes(PoolService pools) {
        this.pools = pools;
    }

    public void register(Router r) {
        r.get("/api/pools", Access.READ, call -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("window", pools.policy().window().toString());
            out.put("pools", pools.overview());
            return Reply.ok(out);
        });
        r.get("/api/scaling", Access.READ, call -> {
            List<PoolView> views = pools.overview();
            List<ScalingRules.Advice> advice = pools.scaling(views);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < views.size(); i++) {
                rows.add(row(views.get(i), advice.get(i)));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("window", pools.policy().window().toString());
            out.put("pools", rows);
            return Reply.ok(out);
        });
        r.post("/api/scaling/{pool}/scale-down", Access.ADMIN, Work.UPKEEP, call -> {
            ScaleDownBody b = call.bodyOr(ScaleDownBody.class, new ScaleDownBody(1));
            String pool = call.path("pool");
            List<String> chosen = pools.scaleDown(call.principal(), pool, b.count() == null ? 1 : b.count());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pool", pool);
            out.put("agents", chosen);
            out.put("directive", Directives.CHECKPOINT_EXIT);
            return Reply.ok(out);
        });
    }

    static Map<String, Object> row(PoolView p, ScalingRules.Advice a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pool", p.pool());
        out.put("action", a.action());
        out.put("count", a.count());
        out.put("reason", a.reason());
        out.put("online", p.online());
        out.put("busy", p.busy());
        out.put("utilisation", p.utilisation());
        out.put("queueDepth", p.queueDepth());
        out.put("oldestAgeSeconds", p.oldestAgeSeconds());
        out.put("signals", a.signals());
        return out;
    }
}
