package io.agenthub.usage;

import java.util.List;

/**
 * Storage SPI for usage counters. Counters only ever grow by increments applied inside the store, never by a caller's
 * read-modify-write, so concurrent reports from any number of agents and hub nodes are all counted exactly. Days are
 * {@code yyyy-MM-dd} strings chosen by the service (in its configured time zone); they sort like dates.
 */
public interface UsageStore {
    /**
     * Adds {@code entry.tally()} to the counters of (day, agent, pool, model) and to that day's totals of the agent,
     * of the pool (when not empty) and of the fleet, all in one atomic operation, and returns the three day totals as
     * they stand right after this addition (including it). Of concurrent records, each sees totals that include
     * itself and every record that came before it.
     */
    DayTotals record(UsageEntry entry);

    /** The day totals of {@code agentId}, {@code pool} (zero if empty) and the fleet; zero where nothing was recorded. */
    DayTotals totals(String day, String agentId, String pool);

    /** Every (day, agent, pool, model) row with {@code from <= day <= to}, ordered by day, agent, pool and model. */
    List<UsageRow> rows(String from, String to);
}
