/**
 * The hub's Java client: {@link io.agenthub.client.HubClient} with one typed call per REST route, leases that renew
 * themselves ({@link io.agenthub.client.HubLease}), long-poll and event-stream iterators that resume from their cursor
 * ({@link io.agenthub.client.MessageFeed}, {@link io.agenthub.client.EventStream}) and the hub's problem details as one
 * exception family ({@link io.agenthub.client.HubProblem}). It depends on {@code java.net.http} and Jackson only.
 */
package io.agenthub.client;
