package io.agenthub.error;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Argument checks that fail with {@link HubException.InvalidRequest} or {@link HubException.TooLarge}. */
public final class Require {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private Require() {}

    /** A non-blank string, at most {@code max} characters. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new HubException.InvalidRequest(field + " is required.", Map.of("field", field));
        }
        return bounded(field, value, max);
    }

    /** A string that may be null or empty, at most {@code max} characters; null becomes the empty string. */
    public static String optional(String field, String value, int max) {
        return value == null ? "" : bounded(field, value, max);
    }

    private static String bounded(String field, String value, int max) {
        if (value.length() > max) {
            throw new HubException.TooLarge(
                    field + " has " + value.length() + " characters; the limit is " + max + ".",
                    Map.of("field", field, "limit", max, "actual", value.length()));
        }
        return value;
    }

    /** An identifier: letters, digits, {@code . _ @ -}, 1 to 64 characters, starting with a letter or digit. */
    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new HubException.InvalidRequest(
                    field + " must be 1-64 characters of letters, digits, '.', '_', '@' or '-', starting with a"
                            + " letter or digit.",
                    Map.of("field", field));
        }
        return value;
    }

    /** A list of at most {@code maxItems} strings, each at most {@code maxChars}; null becomes empty. */
    public static List<String> list(String field, List<String> values, int maxItems, int maxChars) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > maxItems) {
            throw new HubException.TooLarge(
                    field + " has " + values.size() + " items; the limit is " + maxItems + ".",
                    Map.of("field", field, "limit", maxItems));
        }
        for (String v : values) {
            if (v == null) {
                throw new HubException.InvalidRequest(field + " must not contain null.", Map.of("field", field));
            }
            bounded(field, v, maxChars);
        }
        return List.copyOf(values);
    }

    /** A number within {@code [min, max]}. */
    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new HubException.InvalidRequest(
                    field + " must be between " + min + " and " + max + "; got " + value + ".",
                    Map.of("field", field, "min", min, "max", max));
        }
        return value;
    }
}
