/**
 * Memory: knowledge that agents share across sessions (discoveries, decisions, blockers, learnings, patterns, warnings).
 * Entries are written once, found by full-text relevance, tags and category, counted each time they are recalled, and
 * soft-deleted by their author or an admin. {@link io.agenthub.memory.MemoryStore} is the SPI;
 * {@link io.agenthub.memory.MemoryService} owns limits, normalisation and who may forget what.
 */
package io.agenthub.memory;
