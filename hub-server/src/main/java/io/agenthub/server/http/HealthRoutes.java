package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.store.Stores;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/health}: liveness and readiness for load balancers, without authentication. */
public final class HealthRoutes {
    private final Stores stores;
    private final InstantSource clock;
    private final Instant started;
    private final String version;

    public HealthRoutes(Stores stores, InstantSource clock, String version) {
        this.stores = stores;
        this.clock = clock;
        this.started = clock.instant();
        this.version = version;
    }

    public void register(Router r) {
        r.get("/api/health", Access.PUBLIC, call -> {
            Map<String, Object> out = new LinkedHashMap<>();
            String problem = null;
            try {
                stores.ping();
            } catch (HubException e) {
                problem = e.getMessage();
            }
            out.put("status", problem == null ? "ok" : "degraded");
            out.put("store", stores.backend());
            if (problem != null) {
                out.put("reason", problem);
            }
            out.put("version", version);
            out.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
            out.put("time", clock.instant());
            return problem == null
                    ? Reply.ok(out)
                    : new Reply(503, out, "application/json", Map.of("Retry-After", "5"));
        });
    }
}
