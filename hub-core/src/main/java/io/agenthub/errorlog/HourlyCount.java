package io.agenthub.errorlog;

import java.time.Instant;
import java.util.Objects;

/** How many errors of one level were reported in the hour starting at {@code hour} (UTC, whole hours). */
public record HourlyCount(Instant hour, ErrorLevel level, long count) {
    public HourlyCount {
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(level, "level");
    }
}
