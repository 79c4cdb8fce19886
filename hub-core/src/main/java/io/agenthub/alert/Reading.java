package io.agenthub.alert;

/**
 * One evaluation of a rule's condition.
 *
 * @param value the measured value (e.g. the error rate), or null if it could not be measured
 * @param breached whether the condition holds
 * @param summary a sentence with the facts, used in notifications
 */
public record Reading(Double value, boolean breached, String summary) {
    public Reading {
        summary = summary == null ? "" : summary;
    }

    /** The condition cannot be judged (no data source); it counts as not breached. */
    public static Reading unknown(String why) {
        return new Reading(null, false, why);
    }
}
