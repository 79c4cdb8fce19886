package io.agenthub.server.wire;

import io.agenthub.error.HubException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;

/** The {@code since} value that HTTP routes and MCP tools accept alike. */
public final class Since {
    private Since() {}

    /**
     * An ISO-8601 instant, or a relative age such as {@code 30m}, {@code 2h}, {@code 1d} before now; null for null. Both
     * adapters accept the same forms.
     */
    public static Instant parse(String value, InstantSource clock) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            var m = java.util.regex.Pattern.compile("(\\d{1,6})([smhd])").matcher(value.strip());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return clock.instant().minus(d);
            }
            throw new HubException.InvalidRequest(
                    "since must be an ISO-8601 time such as 2026-01-01T12:00:00Z or an age such as 30m, 2h, 1d.");
        }
    }
}
