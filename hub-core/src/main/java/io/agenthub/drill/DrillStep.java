package io.agenthub.drill;

import java.util.Objects;

/**
 * One step of a coordination drill.
 *
 * @param name a stable name, e.g. {@code claim-conflict}
 * @param latencyMillis how long the step took, wall clock
 * @param budgetMillis the latency the step should stay under; a slower pass scores half
 * @param points what the step scored: {@link #FULL} for a pass within budget, half of it for a slow pass, 0 for a
 *     failure (a skipped step scores nothing and counts for nothing)
 * @param message what was verified, or why it failed or was skipped
 */
public record DrillStep(String name, Status status, long latencyMillis, long budgetMillis, int points, String message) {
    /** Points of a pass within its latency budget. */
    public static final int FULL = 10;

    /** Passed, failed, or skipped (with the reason in the message). */
    public enum Status {
        PASS,
        FAIL,
        SKIP
    }

    public DrillStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
    }

    /** Scores a step: full points within budget, half when slow, none when it failed or was skipped. */
    public static DrillStep scored(String name, Status status, long latencyMillis, long budgetMillis, String message) {
        int points = switch (status) {
            case PASS -> latencyMillis <= budgetMillis ? FULL : FULL / 2;
            case FAIL, SKIP -> 0;
        };
        return new DrillStep(name, status, latencyMillis, budgetMillis, points, message);
    }
}
