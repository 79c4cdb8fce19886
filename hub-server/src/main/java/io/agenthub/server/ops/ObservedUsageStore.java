package io.agenthub.server.ops;

import io.agenthub.ops.Counters;
import io.agenthub.usage.DayTotals;
import io.agenthub.usage.UsageEntry;
import io.agenthub.usage.UsageRow;
import io.agenthub.usage.UsageStore;
import java.util.List;

/**
 * A {@link UsageStore} that counts every recorded model call's tokens and cost in the hub's metrics and in the
 * one-minute counters the dashboard charts per hour ({@link ChartCounters}). Every usage report
 * (REST {@code POST /api/usage} and the MCP tool {@code usage_report} alike) is recorded here, once, after the store
 * has taken it.
 */
public final class ObservedUsageStore implements UsageStore {
    private final UsageStore delegate;
    private final HubMetrics metrics;
    private final Counters counters;

    public ObservedUsageStore(UsageStore delegate, HubMetrics metrics, Counters counters) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.counters = counters;
    }

    @Override
    public DayTotals record(UsageEntry entry) {
        DayTotals totals = delegate.record(entry);
        metrics.usage(entry.tally());
        ChartCounters.usage(counters, entry);
        return totals;
    }

    @Override
    public DayTotals totals(String day, String agentId, String pool) {
        return delegate.totals(day, agentId, pool);
    }

    @Override
    public List<UsageRow> rows(String from, String to) {
        return delegate.rows(from, to);
    }
}
