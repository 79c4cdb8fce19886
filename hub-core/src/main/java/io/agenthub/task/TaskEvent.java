package io.agenthub.task;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a task's history.
 *
 * @param kind {@code created}, {@code claimed}, {@code completed}, {@code failed}, {@code expired}, {@code requeued},
 *     {@code retry}, {@code dead} or {@code cancelled}
 * @param agent who acted (the hub for expiry and retries)
 * @param token the claim token concerned, 0 if none
 * @param detail the result, reason or note, possibly empty
 */
public record TaskEvent(Instant at, String kind, String agent, long token, String detail) {
    public TaskEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        agent = agent == null ? "" : agent;
        detail = detail == null ? "" : detail;
    }
}
