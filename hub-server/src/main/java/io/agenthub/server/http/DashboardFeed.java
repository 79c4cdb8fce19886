package io.agenthub.server.http;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.StallDetector;
import io.agenthub.alert.AlertEngine;
import io.agenthub.alert.AlertState;
import io.agenthub.audit.AuditEvent;
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
import io.agenthub.memory.Memory;
import io.agenthub.message.Message;
import io.agenthub.message.MessageService;
import io.agenthub.message.MessageSignal;
import io.agenthub.ops.StatusService;
import io.agenthub.pool.PoolService;
import io.agenthub.pool.PoolView;
import io.agenthub.pool.ScalingRules;
import io.agenthub.rollout.RolloutService;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.store.ChangeSignal;
import io.agenthub.store.Stores;
import io.agenthub.task.Task;
import io.agenthub.task.TaskService;
import io.agenthub.task.TaskState;
import io.agenthub.tier.TierService;
import io.agenthub.usage.BudgetService;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * into small change events. The thread does not poll: it reads a part of the state when a signal says that part
 * changed, on this node or another one sharing the backend:
 *
 * <ul>
 *   <li>new messages: the message signal that wakes long-polls (read from the feed's cursor);
 *   <li>open tasks (and the leases their claims take, and the pools' queues): the task signal;
 *   <li>everything else: the store's {@link ChangeSignal}, raised by {@link #changed} after every successful write
 *       request or MCP tool call (by what the route touches) and by {@link #audited} for every audit event, which
 *       covers what the hub changes by itself (presence, reaped leases, stalls, rollout decisions);
 *   <li>what changes with time alone: the earliest lease expiry, task claim expiry or retry, and rollout evaluation
 *       the feed knows of is read again when it is due.
 * </ul>
 *
 * <p>Whatever no signal covers (a reading of an alert rule, a store that stopped answering, an announcement lost
 * between nodes) is caught by a full read every {@link #REFRESH}. Reads are coalesced: at most one every {@link #GAP}
 * (the agent list, the largest read, at most one every {@link #AGENTS_GAP}), each reading only the parts marked
 * changed; the audit log and messages are read after their cursors. So a page on a quiet fleet costs a full read every
 * {@link #REFRESH} and nothing between, and a busy fleet at most four reads a second, whether one page or a hundred
 * are open: each page's stream only waits for the next event ({@link #await}).
 *
 * <p>Events are numbered {@code <epoch>.<seq>}; the last {@value #BUFFER} are kept so that a page that reconnects
 * (Last-Event-ID) gets what it missed. A page whose id is from another node or process, or too old, gets a new
 * snapshot instead.
 */
public final class DashboardFeed implements AutoCloseable {
    /** The shortest time between two reads. */
    public static final Duration GAP = Duration.ofMillis(250);
    /** The shortest time between two reads of the agent list. */
    public static final Duration AGENTS_GAP = Duration.ofSeconds(1);
    /** How often everything is read again, signalled or not. */
    public static final Duration REFRESH = Duration.ofSeconds(60);

    static final String AGENTS = "agents";
    static final String LEASES = "leases";
    static final String MESSAGES = "messages";
    static final String TASKS = "tasks";
    static final String OVERVIEW = "overview";
    static final String HANDOFFS = "handoffs";
    static final String ERRORS = "errors";
    static final String POOLS = "pools";
    static final String ROLLOUTS = "rollouts";
    static final String ALERTS = "alerts";
    static final String AUDIT = "audit";
    static final String MEMORIES = "memories";
    static final Set<String> ALL = Set.of(
            AGENTS, LEASES, MESSAGES, TASKS, OVERVIEW, HANDOFFS, ERRORS, POOLS, ROLLOUTS, ALERTS, AUDIT, MEMORIES);

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
    private static final int BUFFER = 1024;
    private static final int RECENT_MESSAGES = 200;
    private static final int MESSAGE_BATCH = 500;
    private static final int OPEN_TASKS = 200;
    private static final int RECENT_AUDIT = 200;
    private static final int RECENT_MEMORIES = 50;
    private static final int ALERT_HISTORY = 50;
    // The feed reads as an admin; each stream shows a viewer only what a viewer may see (chat, no DMs, no audit).
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
            RolloutService rollouts,
            InstantSource clock) {}

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
    private final ArrayDeque<AuditEvent> auditLog = new ArrayDeque<>();
    private Map<String, Agent> agents = new LinkedHashMap<>();
    private Map<String, Lease> leases = new LinkedHashMap<>();
    private Map<String, Object> overview = Map.of();
    private List<Handoff> handoffs = List.of();
    private List<ErrorIssue> issues = List.of();
    private Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
    private List<Map<String, Object>> pools = List.of();
    private List<Map<String, Object>> rollouts = List.of();
    private Map<String, Object> alerts = Map.of();
    private List<Memory> memories = List.of();
    /** Parts marked changed and not read since; guarded by {@link #lock}. */
    private final Set<String> dirty = new HashSet<>();
    /** When each part that changes with time alone is due to be read again (hub clock); guarded by {@link #lock}. */
    private final Map<String, Instant> due = new HashMap<>();

    private long lastRead;
    private long lastAgentsRead;
    private long lastFullRead;
    private long lastOverviewRead;
    private long seq;
    private long base;
    private long cursor;
    private long auditCursor;
    private long reads;
    private boolean loaded;
    private int subscribers;
    private volatile boolean closed;
    private volatile boolean watching;
    private Thread thread;

    public DashboardFeed(Sources sources) {
        this.sources = sources;
        this.epoch = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    }

    /** Starts the thread that reads the state while pages are open, and listens to the store's change signal. */
    public DashboardFeed start() {
        sources.stores().changeSignal().listen(this::mark);
        thread = Thread.ofVirtual().name("dashboard-feed").start(this::run);
        return this;
    }

    /**
     * What a successful write request ({@code METHOD /template}) or MCP tool call ({@code mcp <tool>}) may have
     * changed that the dashboard shows, announced to every node; reads announce nothing.
     */
    public void changed(String route) {
        Set<String> topics = topics(route);
        if (!topics.isEmpty()) {
            sources.stores().changeSignal().publish(topics);
        }
    }

    /** An audit event: what it changed, and the audit log itself, announced to every node. */
    public void audited(AuditEvent event) {
        Set<String> topics = new HashSet<>();
        topics.add(AUDIT);
        String action = event.action() == null ? "" : event.action();
        int dot = action.indexOf('.');
        topics.addAll(domain(dot < 0 ? action : action.substring(0, dot)));
        sources.stores().changeSignal().publish(topics);
    }

    /** The parts of the dashboard a route's or tool's success may change. */
    static Set<String> topics(String route) {
        if (route == null) {
            return Set.of();
        }
        if (route.startsWith("mcp ")) {
            String tool = route.substring(4);
            int u = tool.indexOf('_');
            String verb = u < 0 ? "" : tool.substring(u + 1);
            if (Set.of("check", "list", "read", "recall", "get", "status", "digest")
                    .contains(verb)) {
                return Set.of();
            }
            return domain(u < 0 ? tool : tool.substring(0, u));
        }
        int space = route.indexOf(' ');
        if (space < 0 || route.startsWith("GET ") || route.startsWith("HEAD ")) {
            return Set.of();
        }
        String path = route.substring(space + 1);
        if (path.startsWith("/hooks/")) {
            return Set.of(AGENTS, LEASES, HANDOFFS, OVERVIEW, AUDIT);
        }
        if (!path.startsWith("/api/")) {
            return Set.of();
        }
        String rest = path.substring(5);
        int slash = rest.indexOf('/');
        return domain(slash < 0 ? rest : rest.substring(0, slash));
    }

    /** The parts of the dashboard that a domain's changes touch (by route segment, tool prefix or audit action). */
    private static Set<String> domain(String name) {
        return switch (name) {
            case "agents", "agent", "heartbeat", "hub", "keys", "tokens", "join-keys" -> Set.of(AGENTS, OVERVIEW);
            case "leases", "lease" -> Set.of(LEASES);
            case "handoffs", "handoff" -> Set.of(HANDOFFS, LEASES);
            case "tasks", "task" -> Set.of(TASKS, LEASES, POOLS);
            case "memories", "memory" -> Set.of(MEMORIES);
            case "errors", "error", "issue" -> Set.of(ERRORS, OVERVIEW);
            case "tier", "budget", "usage" -> Set.of(OVERVIEW);
            case "alerts", "alert" -> Set.of(ALERTS, OVERVIEW);
            case "rollouts", "rollout", "scaling", "pool", "pools" -> Set.of(ROLLOUTS, POOLS);
            case "chaos", "drills", "drill", "selftest", "snapshot" -> ALL;
            default -> Set.of();
        };
    }

    /** Marks parts changed (from the change signal, on any node) and wakes the reader. */
    private void mark(Set<String> topics) {
        synchronized (lock) {
            if (!loaded) {
                return;
            }
            if (topics.contains(ChangeSignal.EVERYTHING)) {
                dirty.addAll(ALL);
            } else {
                for (String t : topics) {
                    if (ALL.contains(t)) {
                        dirty.add(t);
                    }
                }
            }
            lock.notifyAll();
        }
    }

    /** Waits on one of the stores' cursor signals and marks {@code topics} whenever it moves. */
    private void watch(String name, Supplier<MessageSignal> signal, Set<String> topics) {
        Thread.ofVirtual().name("dashboard-" + name).start(() -> {
            long seen = -1;
            while (!closed) {
                try {
                    long now = signal.get().await(seen, HEARTBEAT_WAIT);
                    if (now > seen) {
                        if (seen >= 0) {
                            mark(topics);
                        }
                        seen = now;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("dashboard {} signal: {}", name, e.getMessage());
                    sleepQuietly();
                }
            }
        });
    }

    private static final Duration HEARTBEAT_WAIT = Duration.ofSeconds(30);
    private static final Duration PAST_DUE_RETRY = Duration.ofSeconds(5);
    /** While other parts change, the overview's metrics (response time, error rate) are read at most this often. */
    private static final Duration OVERVIEW_GAP = Duration.ofSeconds(2);

    private void run() {
        while (!closed) {
            try {
                Set<String> topics = next();
                if (topics != null) {
                    tick(topics, false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("dashboard feed: {}", e.getMessage());
                synchronized (lock) {
                    // What failed is read again after the pause.
                    dirty.addAll(ALL);
                }
                sleepQuietly();
            }
        }
    }

    /**
     * Waits until a page is open and something is to be read (marked, due by time, or the full refresh), no sooner
     * than {@link #GAP} after the last read; returns what to read, or null to look again.
     */
    private Set<String> next() throws InterruptedException {
        synchronized (lock) {
            while (!closed) {
                long now = System.nanoTime();
                if (subscribers > 0 && loaded) {
                    long wait = Math.max(lastRead + GAP.toNanos() - now, 0);
                    Instant at = sources.clock().instant();
                    boolean full = now - lastFullRead >= REFRESH.toNanos();
                    long nextDue = lastFullRead + REFRESH.toNanos() - now;
                    for (Map.Entry<String, Instant> d : due.entrySet()) {
                        long left = Duration.between(at, d.getValue()).toNanos();
                        if (left <= 0) {
                            dirty.add(d.getKey());
                        } else {
                            nextDue = Math.min(nextDue, left);
                        }
                    }
                    boolean agentsLater = dirty.contains(AGENTS) && now - lastAgentsRead < AGENTS_GAP.toNanos();
                    if (agentsLater) {
                        nextDue = Math.min(nextDue, lastAgentsRead + AGENTS_GAP.toNanos() - now);
                    }
                    boolean ready = full || dirty.size() > (agentsLater ? 1 : 0);
                    if (ready && wait == 0) {
                        Set<String> out;
                        if (full) {
                            out = new HashSet<>(ALL);
                            dirty.clear();
                        } else {
                            out = new HashSet<>(dirty);
                            if (agentsLater) {
                                out.remove(AGENTS);
                            }
                            dirty.removeAll(out);
                        }
                        if (now - lastOverviewRead >= OVERVIEW_GAP.toNanos()) {
                            // The request metrics in the overview move with every write.
                            out.add(OVERVIEW);
                        }
                        if (out.contains(OVERVIEW)) {
                            lastOverviewRead = now;
                        }
                        out.forEach(due::remove);
                        lastRead = now;
                        if (full) {
                            lastFullRead = now;
                        }
                        return out;
                    }
                    long sleep = ready ? wait : Math.max(nextDue, wait);
                    lock.wait(Math.max(1, sleep / 1_000_000));
                } else {
                    lock.wait();
                }
            }
            return null;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        boolean load;
        synchronized (lock) {
            subscribers++;
            load = !loaded;
        }
        if (!watching) {
            startWatching();
        }
        if (load) {
            try {
                tick(ALL, true);
            } catch (RuntimeException e) {
                unsubscribe();
                throw e;
            }
        }
    }

    private synchronized void startWatching() {
        if (watching) {
            return;
        }
        watching = true;
        // A message from the hub itself (an alert, a rollout's decision) may come with changes of its own.
        watch("messages", () -> sources.stores().messageSignal(), Set.of(MESSAGES));
        watch("tasks", () -> sources.stores().taskSignal(), Set.of(TASKS, LEASES, POOLS));
    }

    /** A page went away; with none left the state is dropped and no longer read. */
    void unsubscribe() {
        synchronized (lock) {
            subscribers--;
            if (subscribers == 0) {
                loaded = false;
                buffer.clear();
                recent.clear();
                auditLog.clear();
                agents = new LinkedHashMap<>();
                leases = new LinkedHashMap<>();
                tasks = new LinkedHashMap<>();
                dirty.clear();
                due.clear();
                base = seq;
            }
        }
    }

    /** How many reads the feed made since it started (tests tell a signalled read from polling by it). */
    public long reads() {
        synchronized (lock) {
            return reads;
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
            state.put("alerts", alerts);
            state.put("memories", memories);
            state.put("audit", List.copyOf(auditLog));
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

    /**
     * Reads the parts in {@code topics} once and records what changed; {@code first} loads everything for the first
     * page (its reads side by side). Runs on the feed's thread (or the first page's).
     */
    void tick(Set<String> topics, boolean first) {
        ticking.lock();
        try {
            long from;
            long auditFrom;
            List<Agent> known;
            synchronized (lock) {
                if (!first && !loaded) {
                    return;
                }
                from = cursor;
                auditFrom = auditCursor;
                known = List.copyOf(agents.values());
            }
            if (first) {
                from = Math.max(0, sources.messages().latestCursor() - RECENT_MESSAGES);
            }
            Set<String> t = topics;
            // A page that opens with nothing loaded waits for this read: its parts run side by side.
            Future<List<Agent>> agentsRead =
                    read(first, () -> t.contains(AGENTS) ? sources.agents().list() : null);
            Future<List<Lease>> leasesRead =
                    read(first, () -> t.contains(LEASES) ? sources.leases().active() : null);
            long after = from;
            Future<MessageService.Page> pageRead = read(
                    first,
                    () -> t.contains(MESSAGES)
                            ? sources.messages().feed(READER, after, MESSAGE_BATCH, Duration.ZERO)
                            : null);
            Future<Map<String, Object>> overviewRead = read(first, () -> t.contains(OVERVIEW) ? overview() : null);
            Future<List<Handoff>> handoffsRead =
                    read(first, () -> t.contains(HANDOFFS) ? sources.handoffs().list(READER, null, false, 100) : null);
            Future<List<ErrorIssue>> issuesRead = read(
                    first, () -> t.contains(ERRORS) ? sources.errors().issues(IssueStatus.UNRESOLVED, null, 50) : null);
            Future<Map<String, Map<String, Object>>> tasksRead =
                    read(first, () -> t.contains(TASKS) ? openTasks() : null);
            Future<List<Map<String, Object>>> rolloutsRead =
                    read(first, () -> t.contains(ROLLOUTS) ? rollouts() : null);
            Future<Map<String, Object>> alertsRead = read(first, () -> t.contains(ALERTS) ? alerts() : null);
            Future<List<Memory>> memoriesRead = read(
                    first,
                    () -> t.contains(MEMORIES)
                            ? sources.stores().memories().search(null, List.of(), null, RECENT_MEMORIES)
                            : null);
            long auditAfter = auditFrom;
            Future<List<AuditEvent>> auditRead = read(
                    first,
                    () -> !t.contains(AUDIT)
                            ? null
                            : first
                                    ? sources.stores().audit().latest(Long.MAX_VALUE, RECENT_AUDIT)
                                    : sources.stores().audit().list(auditAfter, RECENT_AUDIT));
            List<Agent> nowAgents = join(agentsRead);
            List<Lease> nowLeases = join(leasesRead);
            MessageService.Page page = join(pageRead);
            Map<String, Object> nowOverview = join(overviewRead);
            List<Handoff> nowHandoffs = join(handoffsRead);
            List<ErrorIssue> nowIssues = join(issuesRead);
            // The pools are built from the agents this read got, or else the ones known, and not for the first page,
            // which they would delay: they follow with the next read.
            boolean poolsNow = !first && (t.contains(POOLS) || nowAgents != null);
            List<Map<String, Object>> nowPools = poolsNow ? pools(nowAgents != null ? nowAgents : known) : null;
            Work work = new Work(join(tasksRead), nowPools, join(rolloutsRead));
            Views more = new Views(join(alertsRead), join(memoriesRead), join(auditRead));
            long now = System.nanoTime();
            synchronized (lock) {
                reads++;
                if (nowAgents != null) {
                    lastAgentsRead = now;
                }
                if (first) {
                    load(nowAgents, nowLeases, page, nowOverview, nowHandoffs, nowIssues, work, more);
                    lastRead = now;
                    lastFullRead = now;
                    lastAgentsRead = now;
                    lastOverviewRead = now;
                    dirty.add(POOLS);
                } else if (loaded) {
                    apply(nowAgents, nowLeases, page, nowOverview, nowHandoffs, nowIssues, work, more);
                }
                if (page != null && page.messages().stream().anyMatch(m -> "hub".equals(m.author()))) {
                    // The hub's own notices (alerts, presence, rollout decisions) come with changes elsewhere.
                    dirty.addAll(Set.of(AGENTS, LEASES, OVERVIEW, ALERTS, ROLLOUTS, POOLS, AUDIT));
                }
                schedule();
                lock.notifyAll();
            }
        } finally {
            ticking.unlock();
        }
    }

    /** Notes when the parts that change with time alone are next due: expiries, retries, rollout evaluations. */
    private void schedule() {
        Instant leaseDue = null;
        for (Lease l : leases.values()) {
            leaseDue = earliest(leaseDue, l.expiresAt());
        }
        Instant taskDue = null;
        for (Map<String, Object> t : tasks.values()) {
            taskDue = earliest(taskDue, t.get("claimExpiresAt"));
            taskDue = earliest(taskDue, t.get("retryAt"));
        }
        Instant rolloutDue = null;
        for (Map<String, Object> r : rollouts) {
            rolloutDue = earliest(rolloutDue, r.get("nextEvaluation"));
        }
        // A little after the time: the hub's reaper or controller acts on it first.
        dueAt(LEASES, leaseDue);
        dueAt(TASKS, taskDue);
        dueAt(ROLLOUTS, rolloutDue);
    }

    private void dueAt(String topic, Instant at) {
        if (at == null) {
            due.remove(topic);
            return;
        }
        Instant now = sources.clock().instant();
        // Past and still there (a claim the reaper has not requeued yet): look again in a while, not at every read.
        due.put(topic, at.isAfter(now) ? at.plusMillis(500) : now.plus(PAST_DUE_RETRY));
    }

    private static Instant earliest(Instant so, Object at) {
        if (!(at instanceof Instant i)) {
            return so;
        }
        return so == null || i.isBefore(so) ? i : so;
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
            Work w,
            Views v) {
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
        rollouts = w.rollouts();
        alerts = v.alerts();
        memories = v.memories();
        auditLog.clear();
        v.audit().forEach(this::rememberAudit);
        auditCursor = v.audit().isEmpty() ? 0 : v.audit().getLast().seq();
        dirty.clear();
        due.clear();
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
            Work w,
            Views v) {
        if (a != null) {
            Map<String, Agent> nextAgents = new LinkedHashMap<>();
            a.forEach(x -> nextAgents.put(x.id(), x));
            diff("agents", agents, nextAgents);
            agents = nextAgents;
        }
        if (l != null) {
            Map<String, Lease> nextLeases = new LinkedHashMap<>();
            l.forEach(x -> nextLeases.put(x.resource(), x));
            diff("leases", leases, nextLeases);
            leases = nextLeases;
        }
        if (page != null) {
            if (!page.messages().isEmpty()) {
                page.messages().forEach(this::remember);
                emit("messages", page.messages());
            }
            cursor = page.nextCursor();
        }
        if (ov != null && !ov.equals(overview)) {
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
        if (w.pools() != null && !w.pools().equals(pools)) {
            pools = w.pools();
            emit("pools", pools);
        }
        if (w.rollouts() != null && !w.rollouts().equals(rollouts)) {
            rollouts = w.rollouts();
            emit("rollouts", rollouts);
        }
        if (v.alerts() != null && !v.alerts().equals(alerts)) {
            alerts = v.alerts();
            emit("alerts", alerts);
        }
        if (v.memories() != null && !v.memories().equals(memories)) {
            memories = v.memories();
            emit("memories", memories);
        }
        if (v.audit() != null && !v.audit().isEmpty()) {
            v.audit().forEach(this::rememberAudit);
            auditCursor = v.audit().getLast().seq();
            emit("audit", v.audit());
        }
    }

    /** The alerts, the latest memories and the newest audit events; each null when not read this time. */
    private record Views(Map<String, Object> alerts, List<Memory> memories, List<AuditEvent> audit) {}

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

    private void rememberAudit(AuditEvent e) {
        auditLog.addLast(e);
        while (auditLog.size() > RECENT_AUDIT) {
            auditLog.removeFirst();
        }
    }

    /** The alert rules and their recent history, as {@code GET /api/alerts?history=50} shows them. */
    private Map<String, Object> alerts() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rules", sources.alerts().status().stream().map(OpsRoutes::rule).toList());
        out.put("history", sources.alerts().history(ALERT_HISTORY));
        return out;
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
