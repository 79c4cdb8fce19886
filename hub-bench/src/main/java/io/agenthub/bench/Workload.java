package io.agenthub.bench;

/** One named load pattern. Every workload stops by itself: after its warm-up and measured window, plus at most one
 * request timeout for the stragglers. */
interface Workload {
    String name();

    WorkloadResult run(Settings settings, Roster roster) throws InterruptedException;
}
