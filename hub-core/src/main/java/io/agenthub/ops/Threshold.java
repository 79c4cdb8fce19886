package io.agenthub.ops;

/**
 * Classifies a measured value as good, warning or critical, as in the deployment guide's dashboard table.
 *
 * <ul>
 *   <li>Higher is better (agent count, test pass rate): good at or above {@code good}, warning at or above
 *       {@code warning}, critical below.
 *   <li>Lower is better (response time, error rate, conflicts): good below {@code good}, warning up to and including
 *       {@code warning}, critical above.
 * </ul>
 */
public record Threshold(boolean higherIsBetter, double good, double warning) {
    /** How a value stands. {@code UNKNOWN} when there is nothing to measure yet. */
    public enum Level {
        GOOD,
        WARNING,
        CRITICAL,
        UNKNOWN
    }

    public Threshold {
        if (higherIsBetter ? warning > good : warning < good) {
            throw new IllegalArgumentException("the warning bound must lie between good and critical");
        }
    }

    public static Threshold higherIsBetter(double good, double warning) {
        return new Threshold(true, good, warning);
    }

    public static Threshold lowerIsBetter(double good, double warning) {
        return new Threshold(false, good, warning);
    }

    public Level classify(Double value) {
        if (value == null || value.isNaN()) {
            return Level.UNKNOWN;
        }
        if (higherIsBetter) {
            return value >= good ? Level.GOOD : value >= warning ? Level.WARNING : Level.CRITICAL;
        }
        return value < good ? Level.GOOD : value <= warning ? Level.WARNING : Level.CRITICAL;
    }
}
