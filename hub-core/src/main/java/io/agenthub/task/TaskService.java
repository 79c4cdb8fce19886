package io.agenthub.task;

import io.agenthub.agent.Agent;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.deadline.RequestDeadline;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lease.ResourceNaming;
import io.agenthub.lease.Resources;
import io.agenthub.lifecycle.Activity;
import io.agenthub.message.MessageSignal;
import io.agenthub.text.AgentText;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.TierService;
import io.agenthub.tier.Work;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The work queue's use cases. The store owns atomicity; this service owns policy: validation and bounds, who may claim
 * in which tier, TTLs and retries, events, and sentences that explain every refusal.
 *
 * <p>An agent's pool is its label {@code pool} ({@value Task#DEFAULT_POOL} without one) and its version its label
 * {@code version} (empty without one), both set with its profile at registration or later.
 *
 * <p>Tiers: in tier 2 only core agents claim (others are refused with 503); in tier 3 only the designated agent claims,
 * and other agents' claims are not refused but wait (up to their {@code wait}) and get nothing, so their requests stay
 * queued; in tier 4 nobody claims, admins included. Creating tasks is a write (refused to non-admins only in tier 4);
 * renewing, completing, failing and cancelling are upkeep, allowed in every tier.
 */
public final class TaskService {
    /** The label that names an agent's pool. */
    public static final String POOL_LABEL = "pool";
    /** The label that carries an agent's version. */
    public static final String VERSION_LABEL = "version";

    private final TaskStore store;
    private final TaskPolicy policy;
    private final Function<String, Optional<Agent>> agents;
    private final TierService tiers;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Activity activity;
    private final MessageSignal signal;
    private final ResourceNaming naming;
    private final TaskListener listener;
    private volatile TaskRouter router = TaskRouter.NONE;
    private final AgentText cleaner;

    /** A task and its history. */
    public record Detail(Task task, List<TaskEvent> history) {}

    /** One page of a listing; {@code next} is the cursor for the next page, 0 at the end. */
    public record Listing(List<Task> tasks, long next) {}

    /**
     * @param agents looks agents up by id (pool, capabilities, version, core label)
     * @param tiers decides who may claim; null admits everyone (tests of the queue alone)
     * @param signal wakes long-polling claimers on every node when tasks may have become claimable
     * @param naming makes task resource names canonical, as leases do, so a task's file is the lease's file
     */
    public TaskService(
            TaskStore store,
            TaskPolicy policy,
            Function<String, Optional<Agent>> agents,
            TierService tiers,
            AuditLog audit,
            InstantSource clock,
            Activity activity,
            MessageSignal signal,
            TaskListener listener,
            ResourceNaming naming) {
        this(store, policy, agents, tiers, audit, clock, activity, signal, listener, naming, AgentText.PLAIN);
    }

    /** @param cleaner cleans titles, bodies, results and reasons before they are stored (see {@link AgentText}) */
    public TaskService(
            TaskStore store,
            TaskPolicy policy,
            Function<String, Optional<Agent>> agents,
            TierService tiers,
            AuditLog audit,
            InstantSource clock,
            Activity activity,
            MessageSignal signal,
            TaskListener listener,
            ResourceNaming naming,
            AgentText cleaner) {
        this.cleaner = cleaner;
        this.store = store;
        this.policy = policy;
        this.agents = agents;
        this.tiers = tiers;
        this.audit = audit;
        this.clock = clock;
        this.activity = activity;
        this.signal = signal;
        this.listener = listener;
        this.naming = naming;
    }

    /** Routes new tasks by the pools' rollouts from now on. */
    public void route(TaskRouter router) {
        this.router = router;
    }

    public TaskPolicy policy() {
        return policy;
    }

    /** Queues a new task created by the caller; 429 when its pool's queue is full. */
    public Task create(Principal caller, NewTask spec) {
        caller.requireWriter();
        NewTask checked = check(spec);
        String creator = caller.isAdmin() ? Principal.ADMIN_ID : caller.id();
        TaskRouter.Routed routed = router.route(checked);
        TaskStore.Created created =
                store.create(routed.spec(), creator, clock.instant(), policy.maxQueuePerPool(), routed.split());
        return switch (created) {
            case TaskStore.Created.Stored s -> {
                wake();
                listener.changed("created", s.task(), "");
                yield s.task();
            }
            case TaskStore.Created.PoolFull f ->
                throw new HubException.RateLimited(
                        "Pool " + checked.pool() + " already has " + f.depth()
                                + " queued tasks, the most it may hold; retry after "
                                + policy.retryAfter().toSeconds() + " s, when agents have taken some.",
                        policy.retryAfter());
            case TaskStore.Created.MissingDependency m ->
                throw new HubException.NotFound("Task " + m.id()
                        + " named in dependsOn does not exist; create it first or remove it from dependsOn.");
        };
    }

    /**
     * Claims the next task the caller may do, waiting up to {@code wait} for one; empty when none came. The claim's
     * token and expiry are in {@link Task#claim()}.
     */
    public Optional<Task> claim(Principal caller, Long ttlSeconds, Duration wait) {
        caller.requireWriter();
        if (caller.isAdmin()) {
            throw new HubException.Forbidden("Only agents claim tasks; use an agent token.");
        }
        Duration ttl = ttl(ttlSeconds);
        long deadline = System.nanoTime() + waitNanos(wait);
        Agent agent = agents.apply(caller.id())
                .orElseThrow(() -> new HubException.NotFound(
                        "Agent " + caller.id() + " is not registered; register before claiming tasks."));
        TaskStore.Claimant who =
                new TaskStore.Claimant(agent.id(), poolOf(agent), agent.capabilities(), versionOf(agent));
        try {
            return poll(caller, who, ttl, deadline);
        } catch (InterruptedException e) {
            // The caller is going away (e.g. its client disconnected); keep the flag so that its loop ends too.
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Optional<Task> poll(Principal caller, TaskStore.Claimant who, Duration ttl, long deadline)
            throws InterruptedException {
        boolean admitted = false;
        while (true) {
            // Read the signal before trying, so that a change between the attempt and the wait is not missed.
            long seen = signal.await(-1, Duration.ZERO);
            if (mayClaim(caller)) {
                if (!admitted) {
                    activity.admitWork(caller);
                    admitted = true;
                }
                TaskStore.ClaimResult r = store.claim(who, ttl, clock.instant(), policy.scanLimit());
                r.died().forEach(t -> listener.changed("dead", t, t.reason()));
                if (r.claimed() != null) {
                    activity.progressed(caller.id());
                    listener.changed("claimed", r.claimed(), "");
                    return Optional.of(r.claimed());
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Optional.empty();
            }
            signal.await(seen, Duration.ofNanos(remaining));
            // The wait is the caller's choice: the claim after it gets the request's whole store budget again.
            RequestDeadline.renew();
        }
    }

    /** Extends the caller's claim identified by {@code token} (and the leases taken with it). */
    public Task renew(Principal caller, String id, long token, Long ttlSeconds) {
        caller.requireWriter();
        String task = checkId(id);
        Instant now = clock.instant();
        TaskStore.Change c = store.renew(task, caller.id(), token, ttl(ttlSeconds), now);
        if (!c.applied()) {
            throw refused("renew", task, caller, token, c, now);
        }
        activity.progressed(caller.id());
        return c.task();
    }

    /** Completes the caller's claim with {@code result}. */
    public Task complete(Principal caller, String id, long token, String result) {
        caller.requireWriter();
        String task = checkId(id);
        String text = cleaner.clean(Require.optional("result", result, policy.maxBodyChars()));
        Instant now = clock.instant();
        TaskStore.Change c = store.complete(task, caller.id(), token, text, now);
        if (!c.applied()) {
            throw refused("complete", task, caller, token, c, now);
        }
        activity.progressed(caller.id());
        wake();
        listener.changed("completed", c.task(), "");
        return c.task();
    }

    /** Fails the caller's claim with {@code reason}: retried after a backoff while attempts are left, else dead. */
    public Task fail(Principal caller, String id, long token, String reason) {
        caller.requireWriter();
        String task = checkId(id);
        String why = Require.text("reason", cleaner.clean(reason), policy.maxBodyChars());
        Instant now = clock.instant();
        TaskStore.Change c = store.fail(task, caller.id(), token, why, policy.retry(), now);
        if (!c.applied()) {
            throw refused("fail", task, caller, token, c, now);
        }
        activity.progressed(caller.id());
        listener.changed(c.task().state() == TaskState.DEAD ? "dead" : "failed", c.task(), why);
        return c.task();
    }

    /** Cancels a task that is not final; only its creator or an admin may. */
    public Task cancel(Principal caller, String id, String reason) {
        caller.requireWriter();
        String task = checkId(id);
        String why = cleaner.clean(Require.optional("reason", reason, 1024));
        Task current = find(task);
        if (!caller.isAdmin() && !current.createdBy().equals(caller.id())) {
            throw new HubException.Forbidden("Task " + task + " was created by " + current.createdBy()
                    + "; only its creator or an admin may cancel it.");
        }
        String by = caller.isAdmin() ? Principal.ADMIN_ID : caller.id();
        TaskStore.Change c = store.cancel(task, by, why, clock.instant());
        if (!c.applied()) {
            throw new HubException.Conflict(
                    "task_final",
                    "Task " + task + " is already " + c.task().state().label() + "; there is nothing to cancel.",
                    Map.of("id", task, "state", c.task().state().label()));
        }
        audit.record(by, "task.cancel", task, Map.of("reason", why));
        wake();
        listener.changed("cancelled", c.task(), why);
        return c.task();
    }

    /** A task with its history. */
    public Detail get(String id) {
        String task = checkId(id);
        return new Detail(find(task), store.history(task));
    }

    /** Tasks by creation, filtered by state, pool and label (each null for any). */
    public Listing list(String state, String pool, String label, long after, Integer limit) {
        TaskState s = state == null || state.isEmpty() ? null : TaskState.parse("state", state);
        String p = pool == null || pool.isEmpty() ? null : Require.text("pool", pool, TaskPolicy.MAX_NAME);
        String l = label == null || label.isEmpty() ? null : Require.text("label", label, TaskPolicy.MAX_NAME);
        Require.range("after", after, 0, Long.MAX_VALUE);
        int n = limit == null ? 50 : (int) Require.range("limit", limit, 1, TaskPolicy.MAX_LIST);
        TaskStore.Page page = store.list(s, p, l, after, n, n * 20);
        return new Listing(page.tasks(), page.next());
    }

    /** Depth and oldest queued task of one pool. */
    public TaskStore.QueueStats queue(String pool) {
        return store.queue(Require.text("pool", pool, TaskPolicy.MAX_NAME));
    }

    public List<String> pools() {
        return store.pools();
    }

    /**
     * Requeues tasks whose claim expired (their agents went silent) and queues due retries; for the periodic reaper.
     * Returns how many tasks changed.
     */
    public int reap() {
        List<Task> changed = store.requeueExpired(clock.instant(), 500);
        for (Task t : changed) {
            listener.changed(t.state() == TaskState.DEAD ? "dead" : "requeued", t, t.reason());
        }
        if (!changed.isEmpty()) {
            wake();
        }
        return changed.size();
    }

    /** Most purge steps one {@link #purgeEnded} run takes: a backlog is worked off over several runs. */
    static final int PURGE_STEPS_PER_RUN = 40;

    /**
     * Retention ({@code task-retention}): forgets final tasks that ended more than {@code keep} ago, with their
     * history, in the store's bounded steps and at most {@link #PURGE_STEPS_PER_RUN} of them per call. Queued, claimed
     * and retry-waiting tasks are never forgotten. Returns how many went.
     */
    public int purgeEnded(Duration keep) {
        Instant before = clock.instant().minus(keep);
        int total = 0;
        for (int i = 0; i < PURGE_STEPS_PER_RUN; i++) {
            int step = store.purgeEndedBefore(before, TaskStore.PURGE_STEP);
            total += step;
            if (step < TaskStore.PURGE_STEP) {
                break;
            }
        }
        return total;
    }

    /** Requeues every task claimed by {@code agentId} (a disabled agent), with its attempt counted. */
    public List<Task> requeueAllOf(String agentId, String reason) {
        Instant now = clock.instant();
        List<Task> out = new ArrayList<>();
        for (Task t : store.claimedBy(agentId)) {
            TaskStore.Change c = store.requeue(t.id(), t.claim().token(), reason, now);
            if (c.applied()) {
                out.add(c.task());
                listener.changed(c.task().state() == TaskState.DEAD ? "dead" : "requeued", c.task(), reason);
            }
        }
        if (!out.isEmpty()) {
            wake();
        }
        return out;
    }

    /** The pool an agent claims from. */
    public static String poolOf(Agent agent) {
        String pool = agent.labels().get(POOL_LABEL);
        return pool == null || pool.isEmpty() ? Task.DEFAULT_POOL : pool;
    }

    /** The version an agent reports. */
    public static String versionOf(Agent agent) {
        return agent.labels().getOrDefault(VERSION_LABEL, "");
    }

    /**
     * Whether the tier in force lets the caller claim now: throws in tier 2 for agents that are not core and in tier
     * 4 for everyone; returns false in tier 3 for all but the designated agent, whose claims then wait.
     */
    private boolean mayClaim(Principal caller) {
        if (tiers == null) {
            return true;
        }
        TierChange t = tiers.current();
        return switch (t.tier()) {
            case FULL, REDUCED -> {
                tiers.admit(caller, Work.NEW_WORK);
                yield true;
            }
            case MINIMAL -> caller.id().equals(t.agent());
            case MAINTENANCE ->
                throw new HubException.Unavailable(
                        "tier_restricted",
                        "The hub is in tier 4 (maintenance) since " + time(t.at()) + ": " + t.reason()
                                + ". Nobody claims tasks now; retry after "
                                + tiers.policy().retryAfter().toSeconds() + " s or ask an operator.",
                        tiers.policy().retryAfter(),
                        Map.of("tier", 4));
        };
    }

    private void wake() {
        try {
            signal.publish(store.changeCount());
        } catch (RuntimeException e) {
            // Waiting claimers look again at the end of their wait; the change itself is stored.
        }
    }

    private Task find(String id) {
        return store.find(id)
                .orElseThrow(() -> new HubException.NotFound("No task " + id + "; list tasks with GET /api/tasks."));
    }

    private NewTask check(NewTask spec) {
        if (spec == null) {
            throw new HubException.InvalidRequest("A task needs a body with at least a title.");
        }
        String title = Require.text("title", cleaner.clean(spec.title()), TaskPolicy.MAX_TITLE)
                .strip();
        String body = cleaner.clean(Require.optional("body", spec.body(), policy.maxBodyChars()));
        Require.range("priority", spec.priority(), -100, 100);
        List<String> labels = names("labels", spec.labels());
        String pool = Require.id("pool", spec.pool());
        List<String> caps = names("capabilities", spec.capabilities());
        String version = Require.optional("version", spec.version(), TaskPolicy.MAX_NAME);
        List<String> resources = new ArrayList<>();
        for (String r : distinct("resources", spec.resources())) {
            resources.add(canonicalResource(r));
        }
        List<String> deps = distinct("dependsOn", spec.dependsOn());
        deps.forEach(this::checkId);
        if (spec.deadline() != null && !spec.deadline().isAfter(clock.instant())) {
            throw new HubException.InvalidRequest(
                    "deadline " + spec.deadline() + " has passed; give a later one or none.",
                    Map.of("field", "deadline"));
        }
        int attempts = spec.maxAttempts() == 0 ? policy.defaultMaxAttempts() : spec.maxAttempts();
        Require.range("maxAttempts", attempts, 1, TaskPolicy.MAX_ATTEMPTS);
        return new NewTask(
                title,
                body,
                spec.priority(),
                labels,
                pool,
                caps,
                version,
                List.copyOf(new LinkedHashSet<>(resources)),
                deps,
                spec.deadline(),
                attempts);
    }

    private static List<String> names(String field, List<String> values) {
        List<String> out = distinct(field, values);
        out.forEach(v -> Require.text(field + " entry", v, TaskPolicy.MAX_NAME));
        return out;
    }

    private static List<String> distinct(String field, List<String> values) {
        if (values.size() > TaskPolicy.MAX_ITEMS) {
            throw new HubException.TooLarge(
                    field + " has " + values.size() + " entries; the limit is " + TaskPolicy.MAX_ITEMS + ".",
                    Map.of("field", field));
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }

    /**
     * The lease name a task resource is leased under: the same rules as {@link io.agenthub.lease.LeaseService}'s. One
     * place, so that it can follow the lease package's canonical form when that changes.
     */
    private String canonicalResource(String resource) {
        String name = Require.text("resources entry", resource, Resources.MAX_LENGTH);
        if (!name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
            throw new HubException.InvalidRequest(
                    "resources entries must not have leading or trailing spaces or control characters.");
        }
        return naming.canonical(name);
    }

    private String checkId(String id) {
        if (Task.number(id) < 0) {
            throw new HubException.InvalidRequest(
                    "A task id looks like t-42; got '" + id + "'.", Map.of("field", "id"));
        }
        return id;
    }

    private Duration ttl(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return policy.defaultTtl();
        }
        Require.range("ttlSeconds", ttlSeconds, 1, policy.maxTtl().toSeconds());
        return Duration.ofSeconds(ttlSeconds);
    }

    private long waitNanos(Duration wait) {
        if (wait == null) {
            return 0;
        }
        if (wait.isNegative() || wait.compareTo(policy.maxWait()) > 0) {
            throw new HubException.InvalidRequest(
                    "wait must be between 0 and " + policy.maxWait().toSeconds() + " seconds.",
                    Map.of("field", "wait"));
        }
        return wait.toNanos();
    }

    private HubException refused(
            String verb, String id, Principal caller, long token, TaskStore.Change c, Instant now) {
        Task t = c.task();
        if (t == null) {
            return new HubException.NotFound("No task " + id + "; list tasks with GET /api/tasks.");
        }
        TaskClaim claim = t.claim();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", id);
        details.put("token", token);
        details.put("state", t.state().label());
        if (claim != null && claim.token() == token && !claim.holder().equals(caller.id())) {
            return new HubException.Forbidden("Claim token " + token + " of task " + id + " belongs to "
                    + claim.holder() + ", not " + caller.id() + ".");
        }
        String why;
        if (claim != null && claim.token() == token && t.state() == TaskState.CLAIMED) {
            why = "the claim expired at " + time(claim.expiresAt()) + "; the task goes back to the queue, claim it"
                    + " again.";
            details.put("expiredAt", claim.expiresAt().toString());
        } else {
            String ended = ended(id, token);
            if (t.state() == TaskState.CLAIMED && claim != null && claim.activeAt(now)) {
                why = ended + "it is now claimed by " + claim.holder() + " with token " + claim.token() + " until "
                        + time(claim.expiresAt()) + ".";
                details.put("holder", claim.holder());
                details.put("currentToken", claim.token());
                details.put("expiresAt", claim.expiresAt().toString());
            } else {
                why = ended + "the task is now " + t.state().label() + ".";
            }
        }
        return new HubException.Conflict(
                "stale_claim", "Cannot " + verb + " task " + id + " with token " + token + ": " + why, details);
    }

    /** "the claim expired at …; " from the history, or empty when the token's end is not recorded. */
    private String ended(String id, long token) {
        TaskEvent last = null;
        for (TaskEvent e : store.history(id)) {
            if (e.token() == token && !e.kind().equals("claimed")) {
                last = e;
            }
        }
        if (last == null) {
            return "";
        }
        String how = switch (last.kind()) {
            case "expired", "requeued" -> "the claim expired or was taken back at ";
            case "completed" -> "the claim was completed at ";
            case "failed", "dead" -> "the claim failed at ";
            case "cancelled" -> "the task was cancelled at ";
            default -> "the claim ended at ";
        };
        return how + time(last.at()) + "; ";
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
