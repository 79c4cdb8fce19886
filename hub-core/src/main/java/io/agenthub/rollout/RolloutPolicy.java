package io.agenthub.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Defaults and limits of rollouts.
 *
 * @param minSamples attempts the candidate needs in a window before its health decides anything
 * @param steps canary weights when the operator names none
 * @param hold how long each canary step is observed when the operator names no hold
 * @param maxErrorRate the candidate's failure rate above which a canary is rolled back, when none is named
 * @param maxLatencyRatio the candidate's mean task duration over the baseline's above which it is rolled back
 */
public record RolloutPolicy(
        int minSamples, List<Integer> steps, Duration hold, double maxErrorRate, double maxLatencyRatio) {
    /** Most steps of one canary. */
    public static final int MAX_STEPS = 20;
    /** Longest hold of one step. */
    public static final Duration MAX_HOLD = Duration.ofDays(30);

    public RolloutPolicy {
        steps = List.copyOf(steps);
        Objects.requireNonNull(hold, "hold");
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1");
        }
    }

    public static RolloutPolicy defaults() {
        return new RolloutPolicy(5, List.of(10, 50, 100), Duration.ofHours(1), 0.05, 1.5);
    }

    public RolloutPolicy withMinSamples(int n) {
        return new RolloutPolicy(n, steps, hold, maxErrorRate, maxLatencyRatio);
    }
}
