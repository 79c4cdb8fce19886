package io.agenthub.usage;

/** The counters of one (day, agent, pool, model). */
public record UsageRow(String day, String agentId, String pool, String model, Tally tally) {}
