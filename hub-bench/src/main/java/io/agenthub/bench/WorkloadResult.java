package io.agenthub.bench;

import java.util.List;
import java.util.Map;

/**
 * The results of one workload.
 *
 * @param setup what ran, in a few words (clients, agents, pool)
 * @param seconds length of the measured window
 * @param ops one row per operation, the headline operation first
 * @param facts workload-specific figures (conflict ratio, connections held), in display order
 */
record WorkloadResult(String workload, String setup, double seconds, List<OpStats> ops, Map<String, Object> facts) {}
