package io.agenthub.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/tasks}: the work queue. Create tasks, claim the next one the caller may do (one atomic step that also
 * leases the task's resources), renew the claim, and complete or fail it with the claim's token.
 */
public final class Tasks {
    private final Transport t;
    private volatile boolean lastExit;

    /**
     * A task as the hub sends it; {@code state} is queued, claimed, done, failed, cancelled or dead; {@code waitingOn}
     * counts the tasks of {@code dependsOn} not done yet (a queued task is claimable at 0).
     */
    public record Task(
            String id,
            String title,
            String body,
            int priority,
            List<String> labels,
            String pool,
            List<String> capabilities,
            String version,
            List<String> resources,
            List<String> dependsOn,
            Instant deadline,
            int maxAttempts,
            String createdBy,
            Instant createdAt,
            String state,
            int attempts,
            int waitingOn,
            Claim claim,
            Instant retryAt,
            String result,
            String reason,
            Instant updatedAt) {}

    /** Who holds a task's claim, with which fencing token, until when, and the leases taken with it. */
    public record Claim(String holder, long token, Instant claimedAt, Instant expiresAt, List<Held> leases) {}

    /** One resource leased with a claim. */
    public record Held(String resource, long token) {}

    /** A new task; null fields take the hub's defaults (pool {@code default}, priority 0, the configured attempts). */
    public record Request(
            String title,
            String body,
            Integer priority,
            List<String> labels,
            String pool,
            List<String> capabilities,
            String version,
            List<String> resources,
            List<String> dependsOn,
            Instant deadline,
            Integer maxAttempts) {
        /** A task with a title and a body for the default pool. */
        public static Request of(String title, String body) {
            return new Request(title, body, null, null, null, null, null, null, null, null, null);
        }
    }

    /** A claimed task: its id, the claim's token (send it with renew, complete and fail) and expiry. */
    public record Claimed(String id, long token, Instant expiresAt, Task task) {}

    /** One entry of a task's history (created, claimed, renewed, completed, failed, requeued, ...). */
    public record Event(Instant at, String kind, String agent, long token, String detail) {}

    /** A task with its history. */
    public record Detail(Task task, List<Event> history) {}

    /** One page of a listing; {@code next} is the cursor of the next page, 0 at the end. */
    public record Page(List<Task> tasks, long next) {}

    record ClaimBody(Long ttlSeconds) {}

    record TokenBody(long token, Long ttlSeconds, String result, String reason) {}

    record CancelBody(String reason) {}

    Tasks(Transport t) {
        this.t = t;
    }

    /** Queues a task; the creator is the caller's identity. */
    public Task create(Request request) {
        return t.post("/api/tasks", request, Task.class);
    }

    /**
     * Claims the next task the caller may do, waiting up to {@code wait} for one (null: no wait). Empty when nothing
     * is ready, or when the hub asks the caller to checkpoint and exit (scale-down: see {@link #exitRequested}).
     */
    public Optional<Claimed> claim(Duration ttl, Duration wait) {
        String path = Transport.query("/api/tasks/claim", "wait", Messages.secs(wait));
        Transport.Answer a = t.call(
                "POST",
                path,
                new ClaimBody(ttl == null ? null : ttl.toSeconds()),
                wait == null ? t.requestTimeout() : t.requestTimeout().plus(wait));
        lastExit = a.headers()
                .firstValue("Hub-Directive")
                .filter("checkpoint_exit"::equals)
                .isPresent();
        return a.status() == 204 ? Optional.empty() : Optional.of(a.as(Claimed.class));
    }

    /** Whether the last {@link #claim} was answered with the hub's checkpoint-and-exit directive. */
    public boolean exitRequested() {
        return lastExit;
    }

    /** Extends a claim (and the leases taken with it); {@code ttl} null takes the hub's default. */
    public Claimed renew(String id, long token, Duration ttl) {
        return t.post(
                "/api/tasks/" + Transport.segment(id) + "/renew",
                new TokenBody(token, ttl == null ? null : ttl.toSeconds(), null, null),
                Claimed.class);
    }

    public Task complete(String id, long token, String result) {
        return t.post(
                "/api/tasks/" + Transport.segment(id) + "/complete",
                new TokenBody(token, null, result, null),
                Task.class);
    }

    /** Gives the task up; the hub retries it after a backoff, or marks it dead after its last attempt. */
    public Task fail(String id, long token, String reason) {
        return t.post(
                "/api/tasks/" + Transport.segment(id) + "/fail", new TokenBody(token, null, null, reason), Task.class);
    }

    /** Cancels a task (its creator or an admin). */
    public Task cancel(String id, String reason) {
        return t.post("/api/tasks/" + Transport.segment(id) + "/cancel", new CancelBody(reason), Task.class);
    }

    public Detail get(String id) {
        return t.get("/api/tasks/" + Transport.segment(id), Detail.class);
    }

    /** Tasks by state, pool and label (null: any), oldest first, after the cursor {@code after} (0: from the start). */
    public Page list(String state, String pool, String label, long after, Integer limit) {
        return t.get(
                Transport.query(
                        "/api/tasks", "state", state, "pool", pool, "label", label, "after", after, "limit", limit),
                Page.class);
    }
}
