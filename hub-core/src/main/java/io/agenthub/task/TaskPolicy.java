package io.agenthub.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timing of the work queue.
 *
 * @param maxBodyChars longest task body (and result or reason)
 * @param maxQueuePerPool queued and retry-waiting tasks one pool may hold; creating more is refused with 429
 * @param defaultTtl claim TTL when the claimer names none
 * @param maxTtl longest claim TTL
 * @param defaultMaxAttempts attempts when the creator names none
 * @param retry how long a failed task waits before it is queued again
 * @param maxWait longest long-poll of a claim
 * @param scanLimit candidates one claim examines at most (tasks it cannot do are skipped)
 * @param retryAfter what a refusal for a full queue tells clients to wait
 */
public record TaskPolicy(
        int maxBodyChars,
        int maxQueuePerPool,
        Duration defaultTtl,
        Duration maxTtl,
        int defaultMaxAttempts,
        TaskStore.Backoff retry,
        Duration maxWait,
        int scanLimit,
        Duration retryAfter) {
    /** Most labels, capabilities, resources or dependencies of one task. */
    public static final int MAX_ITEMS = 32;
    /** Longest label, capability, pool or version. */
    public static final int MAX_NAME = 128;
    /** Most attempts a creator may allow. */
    public static final int MAX_ATTEMPTS = 50;
    /** Longest title. */
    public static final int MAX_TITLE = 256;
    /** Most tasks one list returns. */
    public static final int MAX_LIST = 200;

    public TaskPolicy {
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (maxBodyChars < 1 || maxQueuePerPool < 1 || scanLimit < 1) {
            throw new IllegalArgumentException("task limits must be positive");
        }
        if (defaultMaxAttempts < 1 || defaultMaxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("defaultMaxAttempts must be between 1 and " + MAX_ATTEMPTS);
        }
    }

    public static TaskPolicy defaults() {
        return new TaskPolicy(
                16 * 1024,
                10_000,
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                3,
                new TaskStore.Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10)),
                Duration.ofSeconds(60),
                200,
                Duration.ofSeconds(30));
    }
}
