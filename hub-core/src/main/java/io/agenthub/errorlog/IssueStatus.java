package io.agenthub.errorlog;

import io.agenthub.error.HubException;
import java.util.Locale;
import java.util.Map;

/** Where an issue stands in triage. */
public enum IssueStatus {
    /** Needs attention; new issues start here, and resolved ones come back here when they recur. */
    UNRESOLVED,
    /** Fixed, as far as anyone knows. A new occurrence reopens it. */
    RESOLVED,
    /** Known and accepted; occurrences are still counted but it stays out of the unresolved list. */
    IGNORED;

    /** The status named {@code value} in any case; null for null or blank; otherwise 400. */
    public static IssueStatus parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HubException.InvalidRequest(
                    field + " must be unresolved, resolved or ignored; got '" + value + "'.", Map.of("field", field));
        }
    }
}
