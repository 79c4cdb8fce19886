package io.agenthub.server;

import io.agenthub.agent.AgentService;
import io.agenthub.agent.PresencePolicy;
import io.agenthub.agent.PresenceReaper;
import io.agenthub.agent.ProgressTracker;
import io.agenthub.agent.StallDetector;
import io.agenthub.agent.Succession;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.checkpoint.CheckpointPolicy;
import io.agenthub.checkpoint.CheckpointService;
import io.agenthub.digest.DigestService;
import io.agenthub.handoff.HandoffService;
import io.agenthub.hotstart.HotStartService;
import io.agenthub.lease.LeasePolicy;
import io.agenthub.lease.LeaseService;
import io.agenthub.lifecycle.Activity;
import io.agenthub.memory.MemoryPolicy;
import io.agenthub.memory.MemoryService;
import io.agenthub.message.MessagePolicy;
import io.agenthub.message.MessageService;
import io.agenthub.server.http.AgentRoutes;
import io.agenthub.server.http.CheckpointRoutes;
import io.agenthub.server.http.ContextRoutes;
import io.agenthub.server.http.EventStreams;
import io.agenthub.server.http.HandoffRoutes;
import io.agenthub.server.http.HealthRoutes;
import io.agenthub.server.http.LeaseRoutes;
import io.agenthub.server.http.MemoryRoutes;
import io.agenthub.server.http.MessageRoutes;
import io.agenthub.server.http.Router;
import io.agenthub.server.http.StallRoutes;
import io.agenthub.server.http.UsageRoutes;
import io.agenthub.server.mcp.McpEndpoint;
import io.agenthub.server.mcp.OriginGuard;
import io.agenthub.store.Stores;
import io.agenthub.store.redis.RedisStores;
import io.agenthub.store.sqlite.SqliteStores;
import io.agenthub.usage.BudgetService;
import io.agenthub.usage.UsageService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the configuration, opens one storage backend, builds every service on it, and mounts the
 * adapters. Reading this class shows the architecture.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    public static final String VERSION = "0.1.0";

    private final HubConfig config;
    private final DataDirLock lock;
    private final Stores stores;
    private final AdminToken.Resolved adminToken;
    private final HttpServer http;
    private final ScheduledExecutorService scheduler;
    private final EventStreams events;
    private final Router router;
    private final McpEndpoint mcp;
    private final OriginGuard mcpGuard;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    // Services, exposed for in-process tests and the CLI.
    public final AuthService auth;
    public final AuditLog audit;
    public final AgentService agents;
    public final LeaseService leases;
    public final MessageService messages;
    public final MemoryService memories;
    public final CheckpointService checkpoints;
    public final HotStartService hotStart;
    public final DigestService digest;
    public final PresenceReaper reaper;
    public final ProgressTracker progress;
    public final StallDetector stalls;
    public final HandoffService handoffs;
    public final BudgetService budgets;
    public final UsageService usage;

    /**
     * Builds the hub.
     *
     * @param localClock this process's clock; the hub reads time from {@link Stores#clock}, which a shared backend
     *     derives from its own so that every node judges expiry alike
     */
    public Hub(HubConfig config, InstantSource localClock) {
        this.config = config;
        // SQLite allows one process per data directory; Redis is shared by design.
        this.lock = config.usesRedis() ? null : DataDirLock.acquire(config.dataDir());
        this.stores = openStores(config);
        InstantSource clock = stores.clock(localClock);
        this.adminToken = AdminToken.resolve(config.string(Setting.ADMIN_TOKEN), config.dataDir());
        LifecycleSettings life = LifecycleSettings.from(config);
        // Progress (stall detection) and work admission (budgets); both are built below and called only per request.
        Activity activity = Activity.of(this::progressed, this::admitWork);

        audit = new AuditLog(stores.audit(), clock);
        auth = new AuthService(stores.credentials(), clock, adminToken.token(), Duration.ofSeconds(5));
        agents = new AgentService(stores.agents(), auth, audit, clock, activity);
        leases = new LeaseService(
                stores.leases(),
                new LeasePolicy(
                        config.duration(Setting.LEASE_DEFAULT_TTL),
                        config.duration(Setting.LEASE_MAX_TTL),
                        config.integer(Setting.LEASE_MAX_PER_AGENT)),
                audit,
                clock,
                activity);
        MessagePolicy messageDefaults = MessagePolicy.defaults();
        messages = new MessageService(
                stores.messages(),
                stores.messageSignal(),
                new MessagePolicy(
                        config.integer(Setting.MESSAGE_MAX_CHARS),
                        config.duration(Setting.MESSAGE_RETENTION),
                        config.integer(Setting.CHANNEL_CAP),
                        messageDefaults.defaultLimit(),
                        messageDefaults.maxLimit(),
                        config.duration(Setting.LONG_POLL_MAX)),
                id -> stores.agents().find(id).isPresent(),
                clock,
                activity);
        Consumer<String> alert = text -> messages.announce(life.alertChannel(), text);
        progress = new ProgressTracker(stores.progress(), audit, clock, alert);
        memories = new MemoryService(stores.memories(), MemoryPolicy.defaults(), clock);
        checkpoints = new CheckpointService(
                stores.checkpoints(),
                CheckpointPolicy.defaults().withKeep(config.integer(Setting.CHECKPOINT_KEEP)),
                clock,
                activity);
        handoffs = new HandoffService(
                stores.handoffs(),
                agents,
                leases,
                checkpoints,
                messages,
                audit,
                activity,
                life.handoffs(),
                clock,
                alert);
        budgets = new BudgetService(
                stores.budgets(),
                stores.usage(),
                life.budget(),
                agents,
                audit,
                life.zone(),
                clock,
                alert,
                messages::notice);
        usage = new UsageService(
                stores.usage(), life.prices(), life.context(), life.routing(), budgets, agents, handoffs, activity);
        hotStart = new HotStartService(
                agents,
                leases,
                messages,
                memories,
                checkpoints,
                handoffs,
                () -> usage.routing(null),
                clock,
                config.integer(Setting.HOT_START_MAX_CHARS));
        digest = new DigestService(agents, leases, stores.messages(), memories, clock);
        PresencePolicy presence = new PresencePolicy(
                config.duration(Setting.HEARTBEAT_INTERVAL),
                config.integer(Setting.MISSED_BEATS),
                config.duration(Setting.OFFLINE_AFTER),
                config.duration(Setting.STALE_LEASE_GRACE));
        stalls = new StallDetector(
                stores.agents(),
                stores.progress(),
                progress,
                life.stallAfter(),
                presence.staleAfter(),
                audit,
                clock,
                alert,
                messages::notice,
                new HttpWaker(life.wakeTimeout(), clock));
        reaper = new PresenceReaper(
                stores.agents(),
                leases,
                presence,
                audit,
                clock,
                text -> messages.announce(MessageService.GENERAL, text),
                life.handOverReapedLeases() ? handoffs.janitor() : Succession.RELEASE);

        router = new Router(this::authenticate, config.integer(Setting.MAX_BODY_BYTES));
        new HealthRoutes(stores, clock, VERSION).register(router);
        new AgentRoutes(agents, auth, leases, audit).register(router);
        new LeaseRoutes(leases, budgets).register(router);
        events = new EventStreams(messages);
        new MessageRoutes(messages, events).register(router);
        new MemoryRoutes(memories).register(router);
        new CheckpointRoutes(checkpoints).register(router);
        new ContextRoutes(hotStart, digest, clock).register(router);
        new HandoffRoutes(handoffs, budgets).register(router);
        new UsageRoutes(usage, budgets).register(router);
        new StallRoutes(stalls).register(router);

        http = new HttpServer(config.string(Setting.BIND), config.integer(Setting.PORT), router);
        mcpGuard = new OriginGuard(
                config.string(Setting.MCP_ALLOWED_ORIGINS), config.string(Setting.MCP_ALLOWED_HOSTS), this::port);
        mcp = new McpEndpoint(
                new McpEndpoint.Services(
                        auth, agents, leases, messages, memories, checkpoints, hotStart, digest, clock),
                mcpGuard,
                config.integer(Setting.MAX_BODY_BYTES),
                VERSION);
        mcp.mount(http.context());
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("hub-janitor").daemon().factory());
        long every = config.duration(Setting.REAPER_INTERVAL).toMillis();
        scheduler.scheduleWithFixedDelay(() -> guarded("reaper", reaper::run), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("stall detector", stalls::run), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("handoff expiry", handoffs.janitor()::expireDue), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("lease purge", () -> leases.purge(Duration.ofDays(1))), 1, 60, TimeUnit.MINUTES);
        scheduler.scheduleWithFixedDelay(() -> guarded("message retention", messages::purge), 1, 1, TimeUnit.MINUTES);
    }

    /** Redis when {@code redis-url} is set, else SQLite in the data directory. */
    private static Stores openStores(HubConfig config) {
        if (config.usesRedis()) {
            return RedisStores.open(
                    config.string(Setting.REDIS_URL),
                    config.string(Setting.REDIS_PREFIX),
                    config.duration(Setting.REDIS_TIMEOUT));
        }
        return SqliteStores.open(
                config.dataDir(), config.string(Setting.SQLITE_SYNC).equals("full"));
    }

    private void progressed(String agentId) {
        progress.record(agentId);
    }

    private void admitWork(Principal caller) {
        budgets.admitWork(caller);
    }

    private Principal authenticate(String bearer) {
        Principal p = auth.authenticate(bearer);
        agents.seen(p);
        return p;
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.getMessage());
        }
    }

    /** Starts serving; returns once the port is bound. */
    public Hub start() {
        http.start();
        LOG.info(
                "Agent Hub {} on http://{}:{} (store {} in {}), config {}",
                VERSION,
                config.string(Setting.BIND),
                port(),
                stores.backend(),
                stores instanceof RedisStores redis
                        ? redis.location()
                        : config.dataDir().toAbsolutePath(),
                config.masked());
        OriginGuard.Lists allowed = mcpGuard.lists();
        LOG.info(
                "MCP at {}{} (stateless Streamable HTTP); allowed hosts {}, origins {}",
                baseUrl(),
                McpEndpoint.PATH,
                allowed.hosts() == null ? "any" : allowed.hosts(),
                allowed.origins() == null ? "any" : allowed.origins());
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return "http://"
                + (config.string(Setting.BIND).contains(":")
                        ? "[" + config.string(Setting.BIND) + "]"
                        : config.string(Setting.BIND))
                + ":" + port();
    }

    /** Every HTTP route as {@code METHOD /path} with who may call it. */
    public java.util.Map<String, io.agenthub.server.http.Access> routes() {
        return router.describe();
    }

    public AdminToken.Resolved adminToken() {
        return adminToken;
    }

    public Stores stores() {
        return stores;
    }

    /** Server-sent event streams open now. */
    public int openEventStreams() {
        return events.openStreams();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        // Streams wait on the message signal for up to a heartbeat; end them before the server stops.
        events.close();
        mcp.close();
        http.stop();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("close failed: {}", e.getMessage());
            }
        }
        stores.close();
        if (lock != null) {
            lock.close();
        }
    }
}
