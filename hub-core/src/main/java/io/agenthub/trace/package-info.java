/**
 * Traces: the time-ordered trail of each agent's calls, leases, messages and errors, for incident investigation
 * ({@code GET /api/trace}). Recorded in memory and written in batches to the {@link io.agenthub.trace.TraceStore};
 * pruned by age.
 */
package io.agenthub.trace;
