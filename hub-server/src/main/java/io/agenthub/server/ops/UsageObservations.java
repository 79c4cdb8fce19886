package io.agenthub.server.ops;

import io.agenthub.ops.Counters;
import io.agenthub.usage.DayTotals;
import io.agenthub.usage.UsageEntry;
import io.agenthub.usage.UsageEvents;

/**
 * The operations side of usage events: counts every recorded model call's tokens and cost in the hub's metrics and in
 * the one-minute counters the dashboard charts per hour ({@link ChartCounters}). Every usage report (REST
 * {@code POST /api/usage} and the MCP tool {@code usage_report} alike) arrives here once, after the store has taken it.
 */
public final class UsageObservations implements UsageEvents {
    private final HubMetrics metrics;
    private final Counters counters;

    public UsageObservations(HubMetrics metrics, Counters counters) {
        this.metrics = metrics;
        this.counters = counters;
    }

    @Override
    public void recorded(UsageEntry entry, DayTotals totals) {
        metrics.usage(entry.tally());
        ChartCounters.usage(counters, entry);
    }
}
