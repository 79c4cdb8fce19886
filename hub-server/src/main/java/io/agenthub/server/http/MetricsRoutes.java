package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Secrets;
import io.agenthub.deadline.RequestDeadline;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.ops.OpsTasks;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * {@code GET /metrics} in the Prometheus text format. Access: the dedicated scrape token ({@code metrics-token}), or any
 * valid token (viewer, agent, admin). The gauges read from the store (agents, stalls, windows) cost a scrape a second
 * or more under load, so concurrent scrapes share one computation: a scrape that arrives while another refreshes waits
 * for that refresh (within its request budget) and serves its result instead of starting its own.
 */
public final class MetricsRoutes {
    private final HubMetrics metrics;
    private final OpsTasks ops;
    private final Function<String, Principal> authenticate;
    private final String scrapeTokenHash;
    private final ReentrantLock refreshing = new ReentrantLock();
    /** Counts finished refreshes; a scrape that sees it change while it waits takes that refresh as its own. */
    private volatile long refreshes;

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
            refreshGauges();
            return Reply.text("text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        });
    }

    /** Refreshes the gauges once for all scrapes that arrive while it runs. */
    private void refreshGauges() throws InterruptedException {
        long seen = refreshes;
        long budget = RequestDeadline.remainingNanos();
        if (!refreshing.tryLock(budget, TimeUnit.NANOSECONDS)) {
            return; // out of budget while another scrape refreshes: serve the gauges as they are
        }
        try {
            if (refreshes != seen) {
                return; // another scrape refreshed while this one waited
            }
            ops.refreshGauges();
            refreshes++;
        } finally {
            refreshing.unlock();
        }
    }
}
