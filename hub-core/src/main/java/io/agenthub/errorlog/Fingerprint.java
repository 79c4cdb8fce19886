package io.agenthub.errorlog;

import io.agenthub.auth.Secrets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Groups reports into issues. The fingerprint of a report is the first 16 hex digits of the SHA-256 of
 * {@code title::culprit::frame}, where numbers, hex ids and UUIDs in the title are replaced by {@code #} (so
 * "timeout after 5023 ms" and "timeout after 5100 ms" are one issue) and {@code frame} is the first stack frame: the
 * first line of the stack trace that starts with {@code at } or {@code File "} (Java, JavaScript, Python), else its
 * first non-blank line, with line numbers kept. A reporter may send its own fingerprint instead.
 */
public final class Fingerprint {
    private static final Pattern VARIABLE =
            Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b|\\b0x[0-9a-f]+\\b"
                    + "|\\b[0-9a-f]*[0-9][0-9a-f]*\\b");

    private Fingerprint() {}

    /** The fingerprint of a report with these fields. */
    public static String of(String title, String culprit, String stackTrace) {
        String normalized = normalizeTitle(title);
        return Secrets.hash(normalized + "::" + (culprit == null ? "" : culprit.strip()) + "::" + frame(stackTrace))
                .substring(0, 16);
    }

    /** The title with variable parts replaced by {@code #}, lowercased. */
    static String normalizeTitle(String title) {
        return VARIABLE.matcher(title.strip().toLowerCase(Locale.ROOT)).replaceAll("#");
    }

    /** The first stack frame of {@code stackTrace}, or "" if there is none. */
    static String frame(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return "";
        }
        String firstLine = null;
        for (String line : stackTrace.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("at ") || l.startsWith("File \"")) {
                return l;
            }
            if (firstLine == null) {
                firstLine = l;
            }
        }
        return firstLine == null ? "" : firstLine;
    }
}
