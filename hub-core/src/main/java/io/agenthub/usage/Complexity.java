package io.agenthub.usage;

import io.agenthub.error.HubException;
import java.util.Locale;
import java.util.Map;

/** How demanding a task is, for model routing. */
public enum Complexity {
    /** Lookups, formatting, small edits, summaries. */
    SIMPLE,
    /** Ordinary coding and reviewing. */
    MODERATE,
    /** Design, hard debugging, long multi-step reasoning. */
    COMPLEX;

    /** Parses {@code simple|moderate|complex} (also {@code low|medium|high}); fails as an invalid request. */
    public static Complexity parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "simple", "low", "easy" -> SIMPLE;
            case "moderate", "medium", "normal" -> MODERATE;
            case "complex", "high", "hard" -> COMPLEX;
            default ->
                throw new HubException.InvalidRequest(
                        "complexity must be simple, moderate or complex; got '" + text + "'.",
                        Map.of("field", "complexity"));
        };
    }
}
