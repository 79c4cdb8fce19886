/**
 * Pools and versions: who works in each pool (agents by version and presence), how its queue stands, how its versions
 * perform over a rolling window (claims per minute, success rate, mean task duration), and what the scaling rules of
 * the deployment guide recommend for it. Everything is read from what is active (online agents, queued tasks, claims
 * in force) and from the shared one-minute counters of {@link io.agenthub.ops.Counters}, never from task history, so
 * the cost of an overview does not grow with the number of tasks ever done.
 */
package io.agenthub.pool;
