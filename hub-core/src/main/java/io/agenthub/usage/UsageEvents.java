package io.agenthub.usage;

/**
 * What happened to usage, told after the store's atomic step: the one way the side effects of a usage report (metrics,
 * the dashboard's counters) are attached. The usage service tells its observers of every model call it records, from
 * REST and MCP alike. Observers are cheap and never fail the operation.
 */
public interface UsageEvents {
    /** Observes nothing. */
    UsageEvents NONE = (entry, totals) -> {};

    /** {@code entry} was recorded; {@code totals} are the day's totals the store returned after adding it. */
    void recorded(UsageEntry entry, DayTotals totals);
}
