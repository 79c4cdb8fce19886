package io.agenthub.errorlog;

import io.agenthub.error.HubException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How bad a reported error is, most severe first. */
public enum ErrorLevel {
    FATAL,
    ERROR,
    WARNING,
    INFO,
    DEBUG;

    /** The accepted names, lowercase and comma-separated, for messages. */
    public static final String NAMES =
            Arrays.stream(values()).map(ErrorLevel::label).collect(Collectors.joining(", "));

    /** Fatal and error reports are failures: they count in the error rate. */
    public boolean isFailure() {
        return this == FATAL || this == ERROR;
    }

    /** True if this level is more severe than {@code other}. */
    public boolean moreSevereThan(ErrorLevel other) {
        return ordinal() < other.ordinal();
    }

    /** The lowercase name users see. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code value} in any case; {@code fallback} for null or blank; otherwise 400. */
    public static ErrorLevel parse(String field, String value, ErrorLevel fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HubException.InvalidRequest(
                    field + " must be one of " + NAMES + "; got '" + value + "'.", Map.of("field", field));
        }
    }
}
