package io.agenthub.handoff;

import io.agenthub.checkpoint.Checkpoint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Text for handoffs: what a checkpoint says, and cutting fields to their limits. */
final class HandoffText {
    private HandoffText() {}

    static String checkpointContext(Checkpoint cp) {
        StringBuilder s = new StringBuilder("From checkpoint v" + cp.version() + " of " + cp.agentId() + ".");
        if (!cp.progress().isBlank()) {
            s.append("\nProgress: ").append(cp.progress().strip());
        }
        if (!cp.decisions().isEmpty()) {
            s.append("\nDecisions: ").append(String.join("; ", cp.decisions()));
        }
        if (!cp.blockers().isEmpty()) {
            s.append("\nBlockers: ").append(String.join("; ", cp.blockers()));
        }
        if (!cp.context().isBlank()) {
            s.append("\n").append(cp.context().strip());
        }
        return clipUtf8(s.toString(), HandoffPolicy.MAX_CONTEXT_BYTES);
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }

    static List<String> clipItems(List<String> values) {
        return values.stream()
                .limit(HandoffPolicy.MAX_ITEMS)
                .map(v -> clip(v, HandoffPolicy.MAX_ITEM_CHARS))
                .toList();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Cuts {@code s} so that it fits {@code maxBytes} in UTF-8 (a quarter of the bytes in characters is always safe). */
    static String clipUtf8(String s, int maxBytes) {
        return s.length() * 4L <= maxBytes ? s : clip(s, maxBytes / 4);
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
