/**
 * Chaos tooling, shared by the chaos suite and the operators' commands: {@link io.agenthub.chaos.FaultProxy} (a
 * loopback TCP proxy that injects latency, jitter, loss, resets and partitions), {@link io.agenthub.chaos.GrantHistory}
 * (lease grants as clients saw them, with conservative validity), {@link io.agenthub.chaos.LeaseSafetyChecker} (mutual
 * exclusion and fencing over a history) and {@link io.agenthub.chaos.ChaosReport} (the Markdown report of a run).
 */
package io.agenthub.chaos;
