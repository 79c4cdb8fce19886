package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Secrets;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.ops.OpsTasks;
import java.util.function.Function;

/**
 * {@code GET /metrics} in the Prometheus text format. Access: the dedicated scrape token ({@code metrics-token}), or any
 * valid token (viewer, agent, admin).
 */
public final class MetricsRoutes {
    private final HubMetrics metrics;
    private final OpsTasks ops;
    private final Function<String, Principal> authenticate;
    private final String scrapeTokenHash;

    public MetricsRoutes(
            HubMetrics metrics, OpsTasks ops, Function<String, Principal> authenticate, String scrapeToken) {
        this.metrics = metrics;
        this.ops = ops;
        this.authenticate = authenticate;
        this.scrapeTokenHash = scrapeToken == null || scrapeToken.isEmpty() ? null : Secrets.hash(scrapeToken);
    }

    public void register(Router r) {
        r.get("/metrics", Access.PUBLIC, call -> {
            String header = call.header("Authorization");
            String bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).strip()
                    : null;
            boolean scraper =
                    scrapeTokenHash != null && bearer != null && Secrets.equal(Secrets.hash(bearer), scrapeTokenHash);
            if (!scraper) {
                authenticate.apply(bearer);
            }
            ops.refreshGauges();
            return Reply.text("text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        });
    }
}
