package io.agenthub.alert;

/** How urgent an alert is. */
public enum Severity {
    /** Someone must act now (page). */
    CRITICAL,
    /** Someone should look soon. */
    WARNING,
    /** For the record. */
    INFO
}
