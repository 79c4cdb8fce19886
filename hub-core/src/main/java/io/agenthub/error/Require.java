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

    /**
     * A string that may be null or empty, at most {@code maxBytes} bytes in UTF-8; null becomes the empty string. Fails
     * with {@link HubException.TooLarge} naming the field and the limit.
     */
    public static String utf8(String field, String value, int maxBytes) {
        if (value == null) {
            return "";
        }
        long bytes = utf8Length(value);
        if (bytes > maxBytes) {
            throw new HubException.TooLarge(
                    field + " has " + bytes + " bytes; the limit is " + maxBytes + " bytes (UTF-8).",
                    Map.of("field", field, "limit", maxBytes, "actual", bytes));
        }
        return value;
    }

    /** The length of {@code s} in UTF-8, without encoding it. Unpaired surrogates count as the 1-byte {@code '?'}. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(ch)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
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
