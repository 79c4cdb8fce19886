package io.agenthub.task;

import io.agenthub.error.HubException;
import java.util.Locale;
import java.util.Map;

/** Where a task is in its life. */
public enum TaskState {
    /** Waiting to be claimed (or, while {@link Task#waitingOn()} is positive, for its dependencies to be done). */
    QUEUED,
    /** Claimed by an agent until its claim expires. */
    CLAIMED,
    /** Completed with a result. Final. */
    DONE,
    /** The last attempt failed; queued again at {@link Task#retryAt()}. */
    FAILED,
    /** Cancelled by its creator or an admin. Final. */
    CANCELLED,
    /** Every attempt failed or expired (or its deadline passed before anyone claimed it). Final. */
    DEAD;

    /** The lower-case name used in JSON, queries and storage. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == DONE || this == CANCELLED || this == DEAD;
    }

    /** Parses a label such as {@code queued}. */
    public static TaskState parse(String field, String value) {
        for (TaskState s : values()) {
            if (s.label().equals(value)) {
                return s;
            }
        }
        throw new HubException.InvalidRequest(
                field + " must be one of queued, claimed, done, failed, cancelled, dead; got '" + value + "'.",
                Map.of("field", field));
    }
}
