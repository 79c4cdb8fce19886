/**
 * Operations: fleet-wide operation counters in one-minute buckets ({@link io.agenthub.ops.CounterStore}, fed by
 * {@link io.agenthub.ops.Counters}), from which the error rate, the coordination conflict ratio and the average
 * response time are computed, and the live status table of the deployment guide
 * ({@link io.agenthub.ops.StatusService}).
 */
package io.agenthub.ops;
