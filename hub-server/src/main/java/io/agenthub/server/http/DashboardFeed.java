package io.agenthub.server.http;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.StallDetector;
import io.agenthub.alert.AlertEngine;
import io.agenthub.alert.AlertState;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorIssue;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.errorlog.IssueStatus;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffService;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import io.agenthub.message.Message;
import io.agenthub.message.MessageService;
import io.agenthub.ops.StatusService;
import io.agenthub.pool.PoolService;
import io.agenthub.pool.PoolView;
import io.agenthub.pool.ScalingRules;
import io.agenthub.rollout.RolloutService;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.store.Stores;
import io.agenthub.task.Task;
import io.agenthub.task.TaskService;
import io.agenthub.task.TaskState;
import io.agenthub.tier.TierService;
import io.agenthub.usage.BudgetService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows, kept up to date by one thread per hub node while at least one page is open, and turned
 * into small change events: leases that changed or went away and new messages every tick; agents and open tasks
 * (queued, claimed, waiting for a retry) that changed or went away every other tick (the agent list is the largest
 * read: 1,000 rows at 1,000 agents); and every two seconds the overview (status table, tier, budget, firing alerts,
 * stalls), open handoffs, unresolved error issues, the pools (built from the agents just read) and the rollouts when
 * they changed. A page that opens with nothing loaded gets the pools a tick after its snapshot.
 *
 * <p>The work per tick is the same whether one page or a hundred are open: each page's stream only waits for the next
 * event ({@link #await}). A tick every {@link #TICK} coalesces whatever happened meanwhile into one event per kind, so
 * a page gets at most four updates a second however busy the fleet is.
 *
 * <p>Events are numbered {@code <epoch>.<seq>}; the last {@value #BUFFER} are kept so that a page that reconnects
 * (Last-Event-ID) gets what it missed. A page whose id is from another node or process, or too old, gets a new
 * snapshot instead.
 */
public final class DashboardFeed implements AutoCloseable {
    /** How often the state is read while pages are open. */
    public static final Duration TICK = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    private static final int BUFFER = 1024;
    private static final int AGENTS_EVERY = 2;
    private static final int OVERVIEW_EVERY = 8;
    private static final int RECENT_MESSAGES = 200;
    private static final int MESSAGE_BATCH = 500;
    private static final int OPEN_TASKS = 200;
    // The feed reads as an admin; each stream shows a viewer only what a viewer may see (chat, no DMs).
    private static final Principal READER = new Principal(Principal.ADMIN_ID, Role.ADMIN);

    /** Where the state comes from: the services behind the REST routes. */
    public record Sources(
            AgentService agents,
            LeaseService leases,
            MessageService messages,
            StatusService status,
            TierService tiers,
            AlertEngine alerts,
            BudgetService budgets,
            ErrorLogService errors,
            HandoffService handoffs,
            StallDetector stalls,
            Stores stores,
            Supplier<Optional<SelfTestRun>> selfTest,
            TaskService tasks,
            PoolService pools,
            RolloutService rollouts) {}

    /** One change, {@code data} rendered as JSON. */
    static final class Event {
        private final long seq;
        private final String type;
        private final Object data;
        private volatile byte[] json;

        Event(long seq, String type, Object data) {
            this.seq = seq;
            this.type = type;
            this.data = data;
        }

        long seq() {
            return seq;
        }

        String type() {
            return type;
        }

        Object data() {
            return data;
        }

        /** The data as JSON, rendered once however many pages send it. */
        byte[] json() {
            byte[] j = json;
            if (j == null) {
                j = JsonCodec.MAPPER.writeValueAsBytes(data);
                json = j;
            }
            return j;
        }
    }

    /** What a page starts from: everything, as of event {@code seq}. */
    record Snapshot(long seq, Map<String, Object> state) {}

    private final Sources sources;
    private final String epoch;
    private final ReentrantLock ticking = new ReentrantLock();
    private final Object lock = new Object();
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final ArrayDeque<Message> recent = new ArrayDeque<>();
    private Map<String, Agent> agents = new LinkedHashMap<>();
    private Map<String, Lease> leases = new LinkedHashMap<>();
    private Map<String, Object> overview = Map.of();
    private List<Handoff> handoffs = List.of();
    private List<ErrorIssue> issues = List.of();
    private Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
    private List<Map<String, Object>> pools = List.of();
    private List<Map<String, Object>> rollouts = List.of();
    private volatile boolean poolsDue;
    private long seq;
    private long base;
    private long cursor;
    private long ticks;
    private boolean loaded;
    private int subscribers;
    private volatile boolean closed;
    private Thread thread;

    public DashboardFeed(Sources sources) {
        this.sources = sources;
        this.epoch = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    }

    /** Starts the thread that reads the state while pages are open. */
    public DashboardFeed start() {
        thread = Thread.ofVirtual().name("dashboard-feed").start(this::run);
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                if (subscribers() > 0) {
                    tick();
                }
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("dashboard feed: {}", e.getMessage());
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int subscribers() {
        synchronized (lock) {
            return subscribers;
        }
    }

    /** The event id of {@code seq} as pages see it. */
    String id(long seq) {
        return epoch + "." + seq;
    }

    /** The sequence number of a Last-Event-ID from this feed, or -1 if it is from another node or process. */
    long parse(String lastEventId) {
        if (lastEventId == null) {
            return -1;
        }
        String s = lastEventId.strip();
        int dot = s.indexOf('.');
        if (dot < 0 || !s.substring(0, dot).equals(epoch)) {
            return -1;
        }
        try {
            return Long.parseLong(s.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Registers an open page; the first one loads the state at once. */
    void subscribe() {
        synchronized (lock) {
            subscribers++;
        }
        boolean load;
        synchronized (lock) {
            load = !loaded;
        }
        if (load) {
            try {
                tick();
            } catch (RuntimeException e) {
                unsubscribe();
                throw e;
            }
        }
    }

    /** A page went away; with none left the state is dropped and no longer read. */
    void unsubscribe() {
        synchronized (lock) {
            subscribers--;
            if (subscribers == 0) {
                loaded = false;
                buffer.clear();
                recent.clear();
                agents = new LinkedHashMap<>();
                leases = new LinkedHashMap<>();
                tasks = new LinkedHashMap<>();
                base = seq;
            }
        }
    }

    /** The whole state now, for a page that starts or cannot resume. */
    Snapshot snapshot() {
        synchronized (lock) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("agents", List.copyOf(agents.values()));
            state.put("leases", List.copyOf(leases.values()));
            state.put("overview", overview);
            state.put("handoffs", handoffs);
            state.put("errors", issues);
            state.put("messages", List.copyOf(recent));
            state.put("tasks", List.copyOf(tasks.values()));
            state.put("pools", pools);
            state.put("rollouts", rollouts);
            return new Snapshot(seq, state);
        }
    }

    /** True if every event after {@code after} is still kept. */
    boolean resumable(long after) {
        synchronized (lock) {
            return loaded && after >= base && after <= seq;
        }
    }

    /**
     * The events after {@code after}, waiting up to {@code wait} for one; empty after the wait. Null if events after
     * {@code after} were dropped (the page needs a new snapshot).
     */
    List<Event> await(long after, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (seq <= after && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            if (!loaded || after < base) {
                return null;
            }
            List<Event> out = new ArrayList<>();
            for (Event e : buffer) {
                if (e.seq() > after) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** Reads the state once and records what changed; runs on the feed's thread (or the first page's). */
    void tick() {
        ticking.lock();
        try {
            boolean first;
            long from;
            synchronized (lock) {
                first = !loaded;
                from = cursor;
            }
            if (first) {
                from = Math.max(0, sources.messages().latestCursor() - RECENT_MESSAGES);
            }
            boolean full = first || ticks % OVERVIEW_EVERY == 0;
            boolean everyone = full || ticks % AGENTS_EVERY == 0;
            // A page that opens with nothing loaded waits for this read: its parts run side by side.
            Future<List<Agent>> agentsRead =
                    read(first, () -> everyone ? sources.agents().list() : null);
            Future<List<Lease>> leasesRead = read(first, () -> sources.leases().active());
            long after = from;
            Future<MessageService.Page> pageRead =
                    read(first, () -> sources.messages().feed(READER, after, MESSAGE_BATCH, Duration.ZERO));
            Future<Map<String, Object>> overviewRead = read(first, () -> full ? overview() : null);
            Future<List<Handoff>> handoffsRead =
                    read(first, () -> full ? sources.handoffs().list(READER, null, false, 100) : null);
            Future<List<ErrorIssue>> issuesRead =
                    read(first, () -> full ? sources.errors().issues(IssueStatus.UNRESOLVED, null, 50) : null);
            Future<Map<String, Map<String, Object>>> tasksRead = read(first, () -> everyone ? openTasks() : null);
            Future<List<Map<String, Object>>> rolloutsRead = read(first, () -> full ? rollouts() : null);
            List<Agent> nowAgents = join(agentsRead);
            List<Lease> nowLeases = join(leasesRead);
            MessageService.Page page = join(pageRead);
            Map<String, Object> nowOverview = join(overviewRead);
            List<Handoff> nowHandoffs = join(handoffsRead);
            List<ErrorIssue> nowIssues = join(issuesRead);
            // The pools are built from the agents this tick read (a full tick reads them), and not for the first page,
            // which they would delay: they follow with the next tick.
            boolean poolsNow = !first && nowAgents != null && (full || poolsDue);
            Work work = new Work(join(tasksRead), poolsNow ? pools(nowAgents) : null, join(rolloutsRead));
            ticks++;
            synchronized (lock) {
                if (first) {
                    load(nowAgents, nowLeases, page, nowOverview, nowHandoffs, nowIssues, work);
                } else if (loaded) {
                    apply(nowAgents, nowLeases, page, nowOverview, nowHandoffs, nowIssues, work);
                }
                lock.notifyAll();
            }
        } finally {
            ticking.unlock();
        }
    }

    /** Runs one read of a tick: on a virtual thread of its own when {@code parallel}, else at once. */
    private <T> Future<T> read(boolean parallel, Callable<T> read) {
        if (!parallel) {
            try {
                return CompletableFuture.completedFuture(read.call());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        FutureTask<T> task = new FutureTask<>(read);
        Thread.ofVirtual().name("dashboard-load").start(task);
        return task;
    }

    /** The result of a read; a failed read fails the tick with its exception. */
    private static <T> T join(Future<T> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the dashboard's state", e);
        }
    }

    private void load(
            List<Agent> a,
            List<Lease> l,
            MessageService.Page page,
            Map<String, Object> ov,
            List<Handoff> h,
            List<ErrorIssue> e,
            Work w) {
        agents = new LinkedHashMap<>();
        a.forEach(x -> agents.put(x.id(), x));
        leases = new LinkedHashMap<>();
        l.forEach(x -> leases.put(x.resource(), x));
        recent.clear();
        page.messages().forEach(this::remember);
        cursor = page.nextCursor();
        overview = ov;
        handoffs = h;
        issues = e;
        tasks = w.tasks();
        pools = List.of();
        poolsDue = true;
        rollouts = w.rollouts();
        buffer.clear();
        base = seq;
        loaded = true;
    }

    private void apply(
            List<Agent> a,
            List<Lease> l,
            MessageService.Page page,
            Map<String, Object> ov,
            List<Handoff> h,
            List<ErrorIssue> e,
            Work w) {
        if (a != null) {
            Map<String, Agent> nextAgents = new LinkedHashMap<>();
            a.forEach(x -> nextAgents.put(x.id(), x));
            diff("agents", agents, nextAgents);
            agents = nextAgents;
        }
        Map<String, Lease> nextLeases = new LinkedHashMap<>();
        l.forEach(x -> nextLeases.put(x.resource(), x));
        diff("leases", leases, nextLeases);
        leases = nextLeases;
        if (!page.messages().isEmpty()) {
            page.messages().forEach(this::remember);
            emit("messages", page.messages());
        }
        cursor = page.nextCursor();
        if (ov != null) {
            overview = ov;
            emit("overview", ov);
        }
        if (h != null && !h.equals(handoffs)) {
            handoffs = h;
            emit("handoffs", h);
        }
        if (e != null && !e.equals(issues)) {
            issues = e;
            emit("errors", e);
        }
        if (w.tasks() != null) {
            diff("tasks", tasks, w.tasks());
            tasks = w.tasks();
        }
        if (w.pools() != null) {
            poolsDue = false;
            if (!w.pools().equals(pools)) {
                pools = w.pools();
                emit("pools", pools);
            }
        }
        if (w.rollouts() != null && !w.rollouts().equals(rollouts)) {
            rollouts = w.rollouts();
            emit("rollouts", rollouts);
        }
    }

    /** The work queue's part of a tick: open tasks, pools, rollouts; each null when not read this tick. */
    private record Work(
            Map<String, Map<String, Object>> tasks,
            List<Map<String, Object>> pools,
            List<Map<String, Object>> rollouts) {}

    /**
     * The tasks not finished yet (queued, claimed, failed and waiting for a retry), up to {@value #OPEN_TASKS} of each
     * state, oldest first, without their bodies and results: what the queue view lists.
     */
    private Map<String, Map<String, Object>> openTasks() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (TaskState state : List.of(TaskState.QUEUED, TaskState.CLAIMED, TaskState.FAILED)) {
            for (Task t : sources.tasks()
                    .list(state.label(), null, null, 0, OPEN_TASKS)
                    .tasks()) {
                out.put(t.id(), task(t));
            }
        }
        return out;
    }

    private static Map<String, Object> task(Task t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("title", t.title());
        out.put("state", t.state().label());
        out.put("pool", t.pool());
        out.put("priority", t.priority());
        out.put("labels", t.labels());
        out.put("version", t.version());
        out.put("attempts", t.attempts());
        out.put("maxAttempts", t.maxAttempts());
        out.put("waitingOn", t.waitingOn());
        out.put("createdBy", t.createdBy());
        out.put("createdAt", t.createdAt());
        boolean claimed = t.state() == TaskState.CLAIMED && t.claim() != null;
        out.put("holder", claimed ? t.claim().holder() : null);
        out.put("claimExpiresAt", claimed ? t.claim().expiresAt() : null);
        out.put("retryAt", t.retryAt());
        out.put("reason", t.reason());
        return out;
    }

    /** Every pool as {@code GET /api/scaling} shows it, with its agents by version from {@code GET /api/pools}. */
    private List<Map<String, Object>> pools(List<Agent> all) {
        List<PoolView> views = sources.pools().overview(all);
        List<ScalingRules.Advice> advice = sources.pools().scaling(views);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            Map<String, Object> row = PoolRoutes.row(views.get(i), advice.get(i));
            row.put("agents", views.get(i).agents());
            row.put("versions", views.get(i).versions());
            out.add(row);
        }
        return out;
    }

    private List<Map<String, Object>> rollouts() {
        return sources.rollouts().list().stream().map(RolloutRoutes::view).toList();
    }

    private <T> void diff(String type, Map<String, T> before, Map<String, T> after) {
        List<T> upsert = new ArrayList<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) {
                upsert.add(v);
            }
        });
        List<String> remove =
                before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
        if (!upsert.isEmpty() || !remove.isEmpty()) {
            emit(type, Map.of("upsert", upsert, "remove", remove));
        }
    }

    private void remember(Message m) {
        recent.addLast(m);
        while (recent.size() > RECENT_MESSAGES) {
            recent.removeFirst();
        }
    }

    private void emit(String type, Object data) {
        seq++;
        buffer.addLast(new Event(seq, type, data));
        while (buffer.size() > BUFFER) {
            base = buffer.removeFirst().seq();
        }
    }

    private Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", OpsRoutes.status(sources.status(), sources.tiers()));
        out.put("budget", UsageRoutes.budget(sources.budgets()));
        out.put(
                "alerts",
                sources.alerts().status().stream()
                        .map(OpsRoutes::rule)
                        .filter(m -> m.get("state") == AlertState.Status.FIRING)
                        .toList());
        out.put(
                "stalled",
                sources.stalls().stalled().stream().map(p -> p.agentId()).toList());
        out.put("store", store());
        out.put(
                "selfTest",
                sources.selfTest().get().map(DashboardFeed::selfTest).orElse(null));
        return out;
    }

    /** The store's health as {@code GET /api/health} reports it. */
    private Map<String, Object> store() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backend", sources.stores().backend());
        try {
            sources.stores().ping();
            out.put("status", "ok");
        } catch (HubException e) {
            out.put("status", "degraded");
            out.put("reason", e.getMessage());
        }
        return out;
    }

    private static Map<String, Object> selfTest(SelfTestRun run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("passed", run.passed());
        out.put("failed", run.failed());
        out.put("passRate", run.passRate());
        out.put("at", run.startedAt());
        out.put("trigger", run.trigger());
        return out;
    }

    /** Wakes every waiting page and stops reading. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
