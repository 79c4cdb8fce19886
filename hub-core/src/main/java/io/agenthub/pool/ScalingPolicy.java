package io.agenthub.pool;

import java.time.Duration;

/**
 * The thresholds of the scaling rules (see {@link ScalingRules} and docs/operations.md).
 *
 * @param window the rolling window of rates and of the latency trend
 * @param highUtilisation scale up above this busy / online ratio (the guide's 80 %)
 * @param lowUtilisation with an empty queue, scale down below this ratio
 * @param latencyFactor queue wait is rising when the window's mean exceeds the previous window's by this factor
 * @param latencyFloor ... and is at least this long (short waits are no signal)
 * @param budgetFraction the token budget constrains when today's tokens reach this fraction of the daily budget
 * @param maxStep the most agents one recommendation adds or removes
 * @param minAgents the fewest online agents a recommendation leaves in a pool
 * @param retireFor how long a scale-down directive stays in force for a chosen agent
 */
public record ScalingPolicy(
        Duration window,
        double highUtilisation,
        double lowUtilisation,
        double latencyFactor,
        Duration latencyFloor,
        double budgetFraction,
        int maxStep,
        int minAgents,
        Duration retireFor) {
    public static ScalingPolicy defaults() {
        return new ScalingPolicy(
                Duration.ofMinutes(5), 0.8, 0.3, 1.5, Duration.ofSeconds(10), 0.9, 5, 1, Duration.ofMinutes(10));
    }

    public ScalingPolicy withWindow(Duration w) {
        return new ScalingPolicy(
                w,
                highUtilisation,
                lowUtilisation,
                latencyFactor,
                latencyFloor,
                budgetFraction,
                maxStep,
                minAgents,
                retireFor);
    }

    public ScalingPolicy withSteps(double high, int step, int min) {
        return new ScalingPolicy(
                window, high, lowUtilisation, latencyFactor, latencyFloor, budgetFraction, step, min, retireFor);
    }
}
