/**
 * A load generator for a live Agent Hub. {@link io.agenthub.bench.LoadBench} creates simulated agents through the admin
 * API and drives named workloads over plain HTTP (leases, chat, heartbeats, a mixed fleet, held long-polls), recording
 * latencies in HdrHistograms and printing throughput, percentiles and error counts as Markdown.
 *
 * <p>Closed-loop workloads ({@code lease}, {@code chat-post}, {@code chat-read}, {@code heartbeat}) time each request
 * from the moment it is sent. Paced workloads ({@code mixed}, and the heartbeats of {@code connections}) time each
 * operation from its <em>scheduled</em> start, so a hub (or generator) that falls behind shows up in the latencies
 * instead of silently lowering the offered load.
 */
package io.agenthub.bench;
