package io.agenthub.server.mcp;

import io.agenthub.agent.Agent;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.message.Message;
import io.agenthub.text.AgentText;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/** One-line renderings of hub objects for the text part of tool results. */
final class Lines {
    private static final int MAX_TEXT = 2000;

    private Lines() {}

    static String lease(Lease l) {
        return "`" + l.resource() + "` held by " + l.holder() + " (token " + l.token() + ") until "
                + time(l.expiresAt()) + (l.note().isEmpty() ? "" : ", note: " + clip(l.note(), 200));
    }

    static String message(Message m) {
        String where = switch (m.kind()) {
            case CHAT -> "#" + m.channel();
            case DM -> "DM";
            case NOTICE -> "notice";
        };
        return "[" + m.id() + "] " + time(m.createdAt()) + " " + where
                + (m.replyTo().isEmpty() ? "" : " (reply to " + m.replyTo() + ")") + ", "
                + AgentText.quote(m.author(), clip(m.text(), MAX_TEXT), "  ").stripTrailing();
    }

    static String memory(Memory m) {
        return "[" + m.id() + "] " + m.category().label()
                + (m.tags().isEmpty() ? "" : " (tags: " + String.join(", ", m.tags()) + ")") + ", "
                + AgentText.quote(m.author(), clip(m.content(), MAX_TEXT), "  ").stripTrailing();
    }

    static String agent(Agent a) {
        return a.id() + " (" + a.presence().name().toLowerCase() + ", "
                + a.status().name().toLowerCase() + ")"
                + (a.currentTask().isEmpty() ? "" : ": " + clip(a.currentTask(), 200));
    }

    static String checkpoint(Checkpoint c) {
        StringBuilder s = new StringBuilder(
                "Checkpoint v" + c.version() + " of " + c.agentId() + ", saved " + time(c.createdAt()) + "\n");
        field(s, "Current task", c.currentTask());
        field(s, "Progress", c.progress());
        items(s, "Decisions", c.decisions());
        items(s, "Blockers", c.blockers());
        items(s, "Pending work", c.pendingWork());
        items(s, "Files touched", c.filesTouched());
        field(s, "Context", c.context());
        return s.toString();
    }

    /** A heading sentence and one bullet per item. */
    static <T> String list(String heading, List<T> items, Function<T, String> line) {
        StringBuilder s = new StringBuilder(heading);
        for (T item : items) {
            s.append("\n- ").append(line.apply(item));
        }
        return s.toString();
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void field(StringBuilder s, String label, String value) {
        if (!value.isBlank()) {
            s.append(label).append(": ").append(value.strip()).append('\n');
        }
    }

    private static void items(StringBuilder s, String label, List<String> values) {
        if (!values.isEmpty()) {
            s.append(label).append(":\n");
            values.forEach(v -> s.append("- ").append(v.strip()).append('\n'));
        }
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
