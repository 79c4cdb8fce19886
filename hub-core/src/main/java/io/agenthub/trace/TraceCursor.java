package io.agenthub.trace;

import io.agenthub.error.HubException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A position in one agent's trail, between entries: the entries before it are those earlier in time, or of the same
 * millisecond with a lower sequence. Written as {@code <epoch millis>-<seq>}, e.g. {@code 1764590400000-42}.
 */
public record TraceCursor(Instant at, long seq) {
    public TraceCursor {
        Objects.requireNonNull(at, "at");
    }

    /** The position of {@code e}: what comes before it excludes {@code e} itself. */
    public static TraceCursor of(TraceEntry e) {
        return new TraceCursor(e.at(), e.seq());
    }

    /** Parses the written form; null for null. */
    public static TraceCursor parse(String text) {
        if (text == null) {
            return null;
        }
        int dash = text.indexOf('-');
        try {
            if (dash > 0) {
                long millis = Long.parseLong(text.substring(0, dash));
                long seq = Long.parseLong(text.substring(dash + 1));
                if (millis >= 0 && seq >= 0) {
                    return new TraceCursor(Instant.ofEpochMilli(millis), seq);
                }
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new HubException.InvalidRequest(
                "before must be a trace cursor such as 1764590400000-42: pass the prevCursor of a previous read.",
                Map.of("field", "before"));
    }

    @Override
    public String toString() {
        return at.toEpochMilli() + "-" + seq;
    }
}
