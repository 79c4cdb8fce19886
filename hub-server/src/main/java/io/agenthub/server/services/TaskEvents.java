package io.agenthub.server.services;

import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.message.MessageService;
import io.agenthub.task.Task;
import io.agenthub.task.TaskListener;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where task changes go: a line in the task events channel (which {@code /api/events} streams carry like any chat),
 * and each dead task to the errors tool, so that exhausted work shows up where failures are triaged.
 */
final class TaskEvents implements TaskListener {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

    private final String channel;
    private final MessageService messages;
    private final ErrorLogService errors;
    private final TaskListener also;

    /**
     * @param channel empty for no channel posts
     * @param also told of every change first (the rollouts' outcome counters)
     */
    TaskEvents(String channel, MessageService messages, ErrorLogService errors, TaskListener also) {
        this.also = also;
        this.channel = channel;
        this.messages = messages;
        this.errors = errors;
    }

    @Override
    public void changed(String kind, Task task, String detail) {
        also.changed(kind, task, detail);
        if (kind.equals("dead")) {
            errors.reportObserved(
                    "Task " + task.id() + " is dead: " + task.title(),
                    "After " + task.attempts() + " of " + task.maxAttempts() + " attempts: " + detail,
                    "task:" + task.pool(),
                    Map.of("task", task.id(), "pool", task.pool(), "createdBy", task.createdBy()));
        }
        if (channel.isEmpty()) {
            return;
        }
        try {
            messages.announce(channel, line(kind, task, detail));
        } catch (RuntimeException e) {
            LOG.warn("Could not post the {} event of task {}: {}", kind, task.id(), e.getMessage());
        }
    }

    private static String line(String kind, Task t, String detail) {
        String head = "Task " + t.id() + " (" + t.title() + ", pool " + t.pool() + ") ";
        String why = detail.isEmpty() ? "" : ": " + detail;
        return switch (kind) {
            case "created" -> head + "created by " + t.createdBy() + ".";
            case "claimed" ->
                head + "claimed by " + t.claim().holder() + " (attempt " + t.attempts() + ", token "
                        + t.claim().token() + ", until " + t.claim().expiresAt().truncatedTo(ChronoUnit.SECONDS)
                        + ").";
            case "completed" -> head + "completed by " + t.claim().holder() + ".";
            case "failed" ->
                head + "failed (attempt " + t.attempts() + " of " + t.maxAttempts() + ")" + why + "; retry at "
                        + t.retryAt().truncatedTo(ChronoUnit.SECONDS) + ".";
            case "requeued" -> head + "is queued again" + why + ".";
            case "dead" -> head + "is dead after " + t.attempts() + " attempt(s)" + why + ".";
            case "cancelled" -> head + "cancelled" + why + ".";
            default -> head + kind + why + ".";
        };
    }
}
