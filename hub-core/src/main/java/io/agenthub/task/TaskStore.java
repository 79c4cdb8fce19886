package io.agenthub.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Storage SPI for the work queue. Each method is one atomic operation in the store (one writer transaction in SQLite,
 * one Lua script in Redis): no caller observes, and no concurrent caller interleaves with, a half-done create, claim
 * or change. Time is always passed in; a claim is active while {@code now < expiresAt}.
 *
 * <p>Claims and the leases taken with them share the lease store's records and fencing-token counter, so a claim
 * token is strictly greater than every lease or claim token handed out before, and a task's resources are leased in
 * the same step as the claim.
 *
 * <p>Queue depth and the oldest queued task of a pool are kept in an index updated with every change, so {@link
 * #queue} reads them without scanning tasks or history.
 */
public interface TaskStore {
    /** The label that marks a task whose version a rollout chose (see {@link #reroute}). */
    String ROUTED_LABEL = "routed";
    /** The label of test tasks, which a rollout sends to its candidate version. */
    String TEST_LABEL = "test";

    /**
     * A rollout's split of new tasks. The store numbers the split tasks of each pool 1, 2, 3, ... (a counter per pool,
     * in the create's atomic step); the n-th gets {@code version} instead of the one in its spec when {@link
     * #bucket}(n) is below {@code weight}. Since 61 and 100 are coprime, every 100 consecutive numbers have each bucket
     * once, so exactly {@code weight} of every 100 consecutive tasks go to {@code version}, and the multiplier spreads
     * them through the run rather than taking the first ones.
     */
    record Split(String version, int weight) {
        /** The bucket (0 to 99) of a pool's n-th split task: {@code (n mod 100) * 61 mod 100}. */
        public static int bucket(long n) {
            return (int) ((n % 100) * 61 % 100);
        }
    }

    /** The result of {@link #create}. */
    sealed interface Created {
        /** Stored as {@code task}, queued (blocked while {@code waitingOn > 0}). */
        record Stored(Task task) implements Created {}

        /** The pool already has {@code depth} queued tasks, the most it may; nothing was stored. */
        record PoolFull(int depth) implements Created {}

        /** A dependency does not exist; nothing was stored. */
        record MissingDependency(String id) implements Created {}
    }

    /**
     * The agent asking for work.
     *
     * @param pool the only pool whose tasks it may claim
     * @param capabilities a task is claimable only if it requires none beyond these
     * @param version a task that names a version is claimable only by an agent reporting exactly it
     */
    record Claimant(String agentId, String pool, List<String> capabilities, String version) {
        public Claimant {
            capabilities = List.copyOf(capabilities);
            version = version == null ? "" : version;
        }
    }

    /**
     * The result of {@link #claim}: the task claimed (null if none was claimable), and tasks that the same step found
     * dead (attempts used up by an expired claim, or deadline passed), so that the caller can report them.
     */
    record ClaimResult(Task claimed, List<Task> died) {
        public ClaimResult {
            died = List.copyOf(died);
        }
    }

    /**
     * The result of a change by token: whether it applied, and the task as it stands after (or as it stood, when
     * refused), or null if there is no such task.
     */
    record Change(boolean applied, Task task) {}

    /** Queue depth (queued and retry-waiting tasks) of one pool, and when its oldest queued task was created. */
    record QueueStats(String pool, int depth, Instant oldestCreatedAt) {}

    /** One page of {@link #list}; {@code next} is the cursor to continue from, 0 when the listing is complete. */
    record Page(List<Task> tasks, long next) {
        public Page {
            tasks = List.copyOf(tasks);
        }
    }

    /** How long a failed task waits before it is queued again: {@code min(max, base * 2^(attempts - 1))}. */
    record Backoff(Duration base, Duration max) {
        public Duration after(int attempts) {
            long factor = 1L << Math.min(30, Math.max(0, attempts - 1));
            Duration d = base.multipliedBy(factor);
            return d.compareTo(max) > 0 || d.isNegative() ? max : d;
        }
    }

    /**
     * Stores a new task with the next id, queued, unless the pool already holds {@code maxDepth} queued or
     * retry-waiting tasks, or a dependency does not exist. {@code waitingOn} counts the dependencies not done at this
     * moment; each one's completion lowers it. Atomic: the depth check, the dependency check and the insert are one
     * step, so concurrent creates never exceed {@code maxDepth} together.
     */
    default Created create(NewTask spec, String createdBy, Instant now, int maxDepth) {
        return create(spec, createdBy, now, maxDepth, null);
    }

    /**
     * As {@link #create(NewTask, String, Instant, int)}, and when {@code split} is not null, the task's version is
     * {@code split.version()} if the pool's next split number falls in a bucket below {@code split.weight()} (see {@link
     * Split}): the routing decision is taken in the same atomic step as the insert, so no claimer sees the task before
     * it is routed.
     */
    Created create(NewTask spec, String createdBy, Instant now, int maxDepth, Split split);

    /**
     * Gives the version {@code to} to up to {@code max} queued or retry-waiting tasks of {@code pool} that carry
     * version {@code from} and the label {@value #ROUTED_LABEL} but not {@value #TEST_LABEL} (tasks that a rollout
     * routed to a version it has now rolled back). Atomic; returns how many changed.
     */
    int reroute(String pool, String from, String to, int max);

    /**
     * Claims the next claimable task of the claimant's pool for {@code ttl}: queued, not waiting on dependencies, its
     * capabilities and version matched by the claimant, in order of priority (highest first) and then of creation. The
     * task's resources are leased to the claimant in the same step, each with a new fencing token; a task whose
     * resources another holder's active lease overlaps is skipped and the next one tried. The claim takes the next
     * fencing token. A lease the claimant already holds on exactly a task resource is replaced by the claim's (a new
     * token). At most {@code scanLimit} candidates are examined.
     *
     * <p>Before choosing, the same step requeues (at most a bounded number of) tasks whose claim expired before {@code
     * now} (their attempt stays counted; a task out of attempts is dead), queues retry-waiting tasks whose {@code
     * retryAt} has come, and kills queued tasks whose deadline passed when it meets them. Atomic: of any number of
     * concurrent claimers exactly one gets a given task.
     */
    ClaimResult claim(Claimant claimant, Duration ttl, Instant now, int scanLimit);

    /**
     * Extends the claim and its leases to {@code now + ttl}, only while {@code token} is the active claim of {@code
     * holder} on the task. Leases the holder no longer holds are left alone.
     */
    Change renew(String id, String holder, long token, Duration ttl, Instant now);

    /**
     * Marks the task done with {@code result} and releases its leases, only while {@code token} is the active claim of
     * {@code holder}. Tasks that wait on it count one dependency less; at zero they become claimable. (A task that
     * depends on a task that is cancelled or dead stays waiting until it is cancelled too.)
     */
    Change complete(String id, String holder, long token, String result, Instant now);

    /**
     * Records a failed attempt with {@code reason} and releases the task's leases, only while {@code token} is the
     * active claim of {@code holder}. With attempts left the task waits {@code backoff.after(attempts)} and is queued
     * again; otherwise it is dead.
     */
    Change fail(String id, String holder, long token, String reason, Backoff backoff, Instant now);

    /**
     * Cancels a task that is not final (releasing the leases of an active claim); refused (applied false) for a final
     * task.
     */
    Change cancel(String id, String by, String reason, Instant now);

    /**
     * Ends the claim with {@code token} on behalf of the hub (its agent was disabled, or its claim expired), releases
     * its leases and queues the task again, or marks it dead when its attempts are used up. Refused when {@code token}
     * is not the task's current claim.
     */
    Change requeue(String id, long token, String reason, Instant now);

    /**
     * Requeues up to {@code max} tasks whose claim expired before {@code now}, as {@link #requeue} does; returns the
     * tasks as they stand after (queued or dead). For the periodic reaper; claims do the same lazily.
     */
    List<Task> requeueExpired(Instant now, int max);

    /** Tasks claimed by {@code holder} (active or expired, not yet requeued), ordered by id. */
    List<Task> claimedBy(String holder);

    Optional<Task> find(String id);

    /** The task's history, oldest first (empty for an unknown task). */
    List<TaskEvent> history(String id);

    /**
     * Tasks in order of creation after cursor {@code after}, filtered by state, pool and label (each null for any).
     * Examines at most {@code scan} tasks; {@code next} is where to continue.
     */
    Page list(TaskState state, String pool, String label, long after, int limit, int scan);

    /** Depth and oldest queued task of {@code pool}, from an index: no scan. */
    QueueStats queue(String pool);

    /** Pools that have or had tasks, ordered by name. */
    List<String> pools();

    /**
     * The agents holding an active claim ({@code now < expiresAt}), by the pool of the claimed task: read from the
     * index of claimed tasks, so the cost follows the claims in force, never the history. At most {@code max} claims
     * are examined (the soonest to expire last).
     */
    Map<String, Set<String>> busyAgents(Instant now, int max);

    /**
     * Retention: forgets final tasks (done, cancelled, dead) that ended before {@code before}, with their history and
     * dependency records, in atomic steps of at most {@link #PURGE_STEP} tasks, so that writers queued behind the purge
     * wait for one step. Tasks that are not final are never touched. Ended tasks are found through an index by end
     * time, so a pass costs what it deletes, not what the history holds. Returns how many tasks went.
     */
    default int purgeEndedBefore(Instant before) {
        int total = 0;
        int step;
        do {
            step = purgeEndedBefore(before, PURGE_STEP);
            total += step;
        } while (step >= PURGE_STEP);
        return total;
    }

    /** Most tasks one {@link #purgeEndedBefore(Instant, int)} step forgets in {@link #purgeEndedBefore(Instant)}. */
    int PURGE_STEP = 500;

    /**
     * One atomic step of {@link #purgeEndedBefore(Instant)}: forgets at most {@code max} final tasks that ended before
     * {@code before}, the earliest ended first, and returns how many (fewer than {@code max}: none is left). A task
     * that depends on a forgotten one keeps its count of dependencies; a new task can no longer name it.
     */
    int purgeEndedBefore(Instant before, int max);

    /**
     * A number that grows with every change that can make a task claimable (create, completion, requeue, queued
     * retry, cancellation); long-polling claimers wait on a signal that carries it.
     */
    long changeCount();
}
