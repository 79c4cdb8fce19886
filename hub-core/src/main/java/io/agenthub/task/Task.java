package io.agenthub.task;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A unit of work in the queue: what was asked ({@link NewTask}'s fields), who asked, and where it stands.
 *
 * @param id {@code t-<n>}, where n grows with every task created
 * @param waitingOn how many of {@code dependsOn} are not done yet; a queued task is claimable only at 0
 * @param claim the current claim while claimed, else the last one (null if never claimed)
 * @param retryAt while failed, when it is queued again; else null
 * @param result the result given on completion, else empty
 * @param reason the reason of the last failure, expiry, cancellation or death, else empty
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
        TaskState state,
        int attempts,
        int waitingOn,
        TaskClaim claim,
        Instant retryAt,
        String result,
        String reason,
        Instant updatedAt) {
    /** The pool of tasks and agents that name none. */
    public static final String DEFAULT_POOL = "default";

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        body = body == null ? "" : body;
        labels = labels == null ? List.of() : List.copyOf(labels);
        Objects.requireNonNull(pool, "pool");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        version = version == null ? "" : version;
        resources = resources == null ? List.of() : List.copyOf(resources);
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(state, "state");
        result = result == null ? "" : result;
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The id of the {@code n}th task. */
    public static String id(long n) {
        return "t-" + n;
    }

    /** The number in an id made by {@link #id(long)}, or -1 if {@code id} is not one. */
    public static long number(String id) {
        if (id == null || !id.startsWith("t-") || id.length() > 21) {
            return -1;
        }
        try {
            long n = Long.parseLong(id.substring(2));
            return n > 0 && id.equals(id(n)) ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The creation fields. */
    public NewTask spec() {
        return new NewTask(
                title,
                body,
                priority,
                labels,
                pool,
                capabilities,
                version,
                resources,
                dependsOn,
                deadline,
                maxAttempts);
    }

    /** True while claimed by {@code holder} with {@code token} and the claim has not expired. */
    public boolean claimedBy(String holder, long token, Instant now) {
        return state == TaskState.CLAIMED
                && claim != null
                && claim.token() == token
                && claim.holder().equals(holder)
                && claim.activeAt(now);
    }
}
