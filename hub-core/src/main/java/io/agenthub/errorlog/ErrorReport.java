package io.agenthub.errorlog;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One reported error, as stored: who reported it, when, and what. Validated by {@link ErrorLogService}.
 *
 * @param agentId the reporter, taken from its credential ({@code hub} for the hub's own failures)
 * @param fingerprint the grouping key: equal fingerprints are one issue (see {@link Fingerprint})
 * @param culprit where it happened, e.g. a function, route or file; {@code unknown} if not given
 * @param tags free-form context such as {@code task} or {@code model}
 */
public record ErrorReport(
        String agentId,
        Instant at,
        ErrorLevel level,
        String fingerprint,
        String title,
        String message,
        String culprit,
        String stackTrace,
        Map<String, String> tags) {
    public ErrorReport {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(title, "title");
        message = message == null ? "" : message;
        culprit = culprit == null || culprit.isBlank() ? "unknown" : culprit;
        stackTrace = stackTrace == null ? "" : stackTrace;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
