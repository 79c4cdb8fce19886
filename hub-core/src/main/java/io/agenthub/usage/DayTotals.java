package io.agenthub.usage;

/** One day's totals of an agent, its pool and the whole fleet. */
public record DayTotals(String day, Tally agent, Tally pool, Tally fleet) {}
