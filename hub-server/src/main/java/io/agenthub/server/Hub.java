package io.agenthub.server;

import io.agenthub.auth.Principal;
import io.agenthub.server.claude.ClaudeHooks;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import io.agenthub.server.config.Version;
import io.agenthub.server.dashboard.DashboardAssets;
import io.agenthub.server.drill.Chaos;
import io.agenthub.server.drill.Drill;
import io.agenthub.server.drill.LiveHub;
import io.agenthub.server.http.AdminRoutes;
import io.agenthub.server.http.AgentRoutes;
import io.agenthub.server.http.CheckpointRoutes;
import io.agenthub.server.http.ClaudeHookRoutes;
import io.agenthub.server.http.ContextRoutes;
import io.agenthub.server.http.DashboardFeed;
import io.agenthub.server.http.DashboardRoutes;
import io.agenthub.server.http.DashboardSessions;
import io.agenthub.server.http.DashboardStream;
import io.agenthub.server.http.DrillRoutes;
import io.agenthub.server.http.ErrorRoutes;
import io.agenthub.server.http.EventStreams;
import io.agenthub.server.http.FlagRoutes;
import io.agenthub.server.http.HandoffRoutes;
import io.agenthub.server.http.HealthRoutes;
import io.agenthub.server.http.LeaseRoutes;
import io.agenthub.server.http.MemoryRoutes;
import io.agenthub.server.http.MessageRoutes;
import io.agenthub.server.http.MetricsRoutes;
import io.agenthub.server.http.OpsRoutes;
import io.agenthub.server.http.PoolRoutes;
import io.agenthub.server.http.RolloutRoutes;
import io.agenthub.server.http.Router;
import io.agenthub.server.http.SafetyReportRoutes;
import io.agenthub.server.http.SelfTestRoutes;
import io.agenthub.server.http.StallRoutes;
import io.agenthub.server.http.TaskRoutes;
import io.agenthub.server.http.UsageRoutes;
import io.agenthub.server.mcp.McpEndpoint;
import io.agenthub.server.mcp.OriginGuard;
import io.agenthub.server.ops.ChartCounters;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.ops.OpsTasks;
import io.agenthub.server.ops.SnapshotExport;
import io.agenthub.server.ops.WebhookNotifier;
import io.agenthub.server.selftest.SelfTest;
import io.agenthub.server.services.Services;
import io.agenthub.store.Stores;
import io.agenthub.store.redis.RedisStores;
import io.agenthub.store.sqlite.SqliteStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the configuration, opens one storage backend, builds every service on it
 * ({@link Services}), mounts the adapters and schedules the background work. Reading this class shows the
 * architecture.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    public static final String VERSION = Version.CURRENT;

    private final HubConfig config;
    private final DataDirLock lock;
    private final Stores stores;
    private final AdminToken.Resolved adminToken;
    private final HttpServer http;
    private final ScheduledExecutorService scheduler;
    private final EventStreams events;
    private final DashboardFeed dashboardFeed;
    private final DashboardStream dashboardStream;
    private final Router router;
    private final WebhookNotifier webhooks;
    private final McpEndpoint mcp;
    private final OriginGuard mcpGuard;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Every service of this hub, exposed for in-process tests. */
    public final Services services;

    public final OpsTasks ops;
    public final SelfTest selfTest;
    public final Drill drill;

    /**
     * Builds the hub.
     *
     * @param localClock this process's clock; the hub reads time from {@link Stores#clock}, which a shared backend
     *     derives from its own so that every node judges expiry alike
     */
    public Hub(HubConfig config, InstantSource localClock) {
        this(config, localClock, UnaryOperator.identity());
    }

    /** @param storage wraps the opened stores (tests count or slow down store calls with it) */
    Hub(HubConfig config, InstantSource localClock, UnaryOperator<Stores> storage) {
        this.config = config;
        // SQLite allows one process per data directory; Redis is shared by design.
        this.lock = config.usesRedis() ? null : DataDirLock.acquire(config.dataDir());
        this.stores = storage.apply(openStores(config));
        InstantSource clock = stores.clock(localClock);
        this.adminToken = AdminToken.resolve(config.string(Setting.ADMIN_TOKEN), config.dataDir());
        HubMetrics metrics = new HubMetrics(true);
        webhooks = new WebhookNotifier(
                config.list(Setting.ALERT_WEBHOOKS),
                config.integer(Setting.ALERT_WEBHOOK_ATTEMPTS),
                config.duration(Setting.ALERT_WEBHOOK_BACKOFF),
                "http://" + config.string(Setting.BIND) + ":" + config.string(Setting.PORT));
        closeables.add(webhooks);

        // Every service, built in dependency order on these stores (see Services).
        services = new Services(stores, config, clock, adminToken.token(), metrics, List.of(webhooks));
        ops = services.opsTasks(config);
        selfTest = new SelfTest(stores, node(config), services::alert, run -> ops.evaluate(), clock);
        LiveHub live = new LiveHub(services.stores, services.tiers, services.alerts, services::announce);
        drill = new Drill(live, node(config), ops::evaluate, clock);
        services.auth
                .configuredAdminRevokedAt()
                .ifPresent(t -> LOG.warn(
                        "The configured admin token was rotated out (valid until {}); use the newer admin token.", t));

        // The HTTP adapter: each route class is handed the services it uses.
        router = new Router(this::authenticate, config.integer(Setting.MAX_BODY_BYTES));
        OpsHook hook = new OpsHook(
                new OpsHook.Sources(services.tiers, services.traces, metrics, services.counters, services.errors));
        router.hook(hook);
        router.limiter(services.limiter);
        router.security(services.security);
        new HealthRoutes(stores, clock, VERSION).register(router);
        new AgentRoutes(
                        services.agents,
                        services.auth,
                        services.leases,
                        services.audit,
                        (io.agenthub.agent.Agent a) -> services.pools.retiring(a))
                .register(router);
        new LeaseRoutes(services.leases).register(router);
        events = new EventStreams(services.messages);
        new MessageRoutes(services.messages, events).register(router);
        new MemoryRoutes(services.memories).register(router);
        new CheckpointRoutes(services.checkpoints).register(router);
        new ContextRoutes(services.hotStart, services.digest, clock, services.flags).register(router);
        new HandoffRoutes(services.handoffs, services.budgets).register(router);
        new UsageRoutes(services.usage, services.budgets).register(router);
        new StallRoutes(services.stalls).register(router);
        new ErrorRoutes(services.errors, services.budgets).register(router);
        new TaskRoutes(services.tasks, services.pools::retiring).register(router);
        new PoolRoutes(services.pools).register(router);
        new RolloutRoutes(services.rollouts).register(router);
        new FlagRoutes(services.flags).register(router);
        new OpsRoutes(services.status, services.tiers, services.alerts, services.traces, webhooks::stats, clock)
                .register(router);
        new SelfTestRoutes(selfTest).register(router);
        new DrillRoutes(drill, new Chaos(live)).register(router);
        new SafetyReportRoutes(new io.agenthub.server.ops.SafetyReport(
                        services.auth,
                        services.agents,
                        services.audit,
                        services.security,
                        clock,
                        config.duration(Setting.TOKEN_IDLE_AFTER)))
                .register(router);
        SnapshotExport export = new SnapshotExport(stores, VERSION, clock, () -> {
            services.traces.flush();
            services.counters.flush();
        });
        new AdminRoutes(export, services.emergency(this::storeAdminToken), clock).register(router);
        new ClaudeHookRoutes(new ClaudeHooks(
                        new ClaudeHooks.Services(
                                services.agents,
                                services.hotStart,
                                services.messages,
                                services.leases,
                                services.checkpoints,
                                services.usage,
                                services.handoffs,
                                stores.transcriptCursors(),
                                clock),
                        new ClaudeHooks.Settings(
                                config.integer(Setting.HOOK_CONTEXT_MAX_CHARS),
                                config.integer(Setting.HOOK_INBOX_MAX_CHARS),
                                config.bool(Setting.HOOK_LEASE_AUTO_ACQUIRE),
                                config.string(Setting.HOOK_SESSION_END_LEASES),
                                config.bool(Setting.HOOK_TRANSCRIPTS))))
                .register(router);
        new MetricsRoutes(metrics, ops, this::authenticate, config.string(Setting.METRICS_TOKEN)).register(router);
        DashboardSessions sessions = new DashboardSessions(
                services.auth, config.duration(Setting.DASHBOARD_SESSION_TTL), config.publicPath());
        router.sessions(sessions);
        dashboardFeed = new DashboardFeed(new DashboardFeed.Sources(
                        services.agents,
                        services.leases,
                        services.messages,
                        services.status,
                        services.tiers,
                        services.alerts,
                        services.budgets,
                        services.errors,
                        services.handoffs,
                        services.stalls,
                        stores,
                        selfTest::latest,
                        services.tasks,
                        services.pools,
                        services.rollouts,
                        clock))
                .start();
        hook.onChange(dashboardFeed::changed);
        services.audit.observe(dashboardFeed::audited);
        dashboardStream = new DashboardStream(dashboardFeed, sessions);
        new DashboardRoutes(
                        services.auth,
                        sessions,
                        dashboardStream,
                        services.audit,
                        services.counters,
                        services.usage,
                        services.budgets,
                        this::dashboardUrl,
                        clock)
                .register(router);

        http = new HttpServer(
                config.string(Setting.BIND), config.integer(Setting.PORT), router, config.httpsKeyStore());
        http.requestBudget(config.redisRequestBudget());
        http.mountDashboard(new DashboardAssets(req -> {
            String secret = DashboardSessions.secret(req);
            return secret != null && services.auth.session(secret) != null;
        }));
        // The MCP adapter: McpEndpoint.Services, the services its tools call.
        mcpGuard = new OriginGuard(
                config.string(Setting.MCP_ALLOWED_ORIGINS), config.string(Setting.MCP_ALLOWED_HOSTS), this::port);
        mcp = new McpEndpoint(
                new McpEndpoint.Services(
                        services.auth,
                        services.agents,
                        services.leases,
                        services.messages,
                        services.memories,
                        services.checkpoints,
                        services.hotStart,
                        services.digest,
                        services.usage,
                        services.handoffs,
                        services.errors,
                        services.tasks,
                        services.pools,
                        clock,
                        services.flags),
                mcpGuard,
                config.integer(Setting.MAX_BODY_BYTES),
                VERSION);
        mcp.hook(hook);
        mcp.limiter(services.limiter);
        mcp.security(services.security);
        mcp.mount(http.context());
        // The background work.
        scheduler = Executors.newScheduledThreadPool(
                2, Thread.ofPlatform().name("hub-janitor-", 0).daemon().factory());
        long every = config.duration(Setting.REAPER_INTERVAL).toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> guarded("reaper", services.reaper::run), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("stall detector", services.stalls::run), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("trace and task retention", ops::retention), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("handoff expiry", services.handoffs.janitor()::expireDue),
                every,
                every,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("task requeue", services.tasks::reap), every, every, TimeUnit.MILLISECONDS);
        // Each decision is a compare-and-set on the rollout's revision: several nodes may evaluate, one acts.
        long rolloutEvery = config.duration(Setting.ROLLOUT_INTERVAL).toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> guarded("rollout evaluation", services.rollouts::evaluate),
                rolloutEvery,
                rolloutEvery,
                TimeUnit.MILLISECONDS);
        // The dashboard charts the queue depth from these samples (ChartCounters).
        scheduler.scheduleWithFixedDelay(
                () -> guarded(
                        "queue depth sample", () -> ChartCounters.sampleQueues(services.tasks, services.counters)),
                1,
                60,
                TimeUnit.SECONDS);
        Duration leaseKeep = config.duration(Setting.LEASE_HISTORY_RETENTION);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("lease purge", () -> services.leases.purge(leaseKeep)),
                1,
                Math.max(1, Math.min(60, leaseKeep.toMinutes())),
                TimeUnit.MINUTES);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("message retention", services.messages::purge), 1, 1, TimeUnit.MINUTES);
        // Every step of a pass is atomic in the store, so several nodes may consolidate at once.
        long consolidateEvery =
                config.duration(Setting.MEMORY_CONSOLIDATE_INTERVAL).toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> guarded("memory consolidation", services.memories::consolidate),
                consolidateEvery,
                consolidateEvery,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> guarded("dashboard session purge", services.auth::purgeEndedSessions), 5, 10, TimeUnit.MINUTES);
        scheduler.scheduleWithFixedDelay(() -> guarded("ops flush", ops::flush), 1, 1, TimeUnit.SECONDS);
        long alertEvery = config.duration(Setting.ALERT_INTERVAL).toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> guarded("alert evaluation", ops::evaluate), alertEvery, alertEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("ops housekeeping", ops::housekeeping), 2, 60, TimeUnit.MINUTES);
        long selfTestEvery = config.duration(Setting.SELF_TEST_INTERVAL).toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> guarded("self-test", () -> selfTest.runAll("schedule")),
                selfTestEvery,
                selfTestEvery,
                TimeUnit.MILLISECONDS);
        Duration drillEvery = Drill.interval(config);
        if (!drillEvery.isZero()) {
            scheduler.scheduleWithFixedDelay(
                    () -> guarded("coordination drill", () -> drill.scheduled(drillEvery)),
                    drillEvery.toMillis(),
                    drillEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (config.bool(Setting.SELF_TEST_ON_START)) {
            scheduler.execute(() -> guarded("self-test", () -> selfTest.runAll("startup")));
        }
    }

    /** Redis when {@code redis-url} is set, else SQLite in the data directory. */
    public static Stores openStores(HubConfig config) {
        if (config.usesRedis()) {
            return RedisStores.open(
                    config.string(Setting.REDIS_URL),
                    config.string(Setting.REDIS_PREFIX),
                    config.duration(Setting.REDIS_TIMEOUT),
                    config.redisTls());
        }
        return SqliteStores.open(
                config.dataDir(), config.string(Setting.SQLITE_SYNC).equals("full"));
    }

    private static String node(HubConfig config) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    private Principal authenticate(String bearer) {
        Principal p = services.auth.authenticate(bearer);
        services.agents.seen(p);
        return p;
    }

    /** After a key rotation: the generated admin token file (if the token came from it) holds the new token. */
    private void storeAdminToken(String token) {
        if (adminToken.file() == null) {
            LOG.warn("The admin token was rotated; update HUB_ADMIN_TOKEN before the old one stops working.");
            return;
        }
        try {
            Files.writeString(adminToken.file(), token + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Could not write the rotated admin token to {}: {}", adminToken.file(), e.getMessage());
        }
    }

    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.getMessage());
            services.errors.reportInternal("background: " + what, e);
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
        return (http.secure() ? "https://" : "http://")
                + (config.string(Setting.BIND).contains(":")
                        ? "[" + config.string(Setting.BIND) + "]"
                        : config.string(Setting.BIND))
                + ":" + port();
    }

    /** How many dashboard pages are connected to this node. */
    public int dashboardStreams() {
        return dashboardStream.openStreams();
    }

    /** How many reads of the store the dashboard's reader made on this node (it reads on change, not on a timer). */
    public long dashboardReads() {
        return dashboardFeed.reads();
    }

    /** Where people open the dashboard: {@code public-url}, or this node's address; ends in {@code /}. */
    public String dashboardUrl() {
        return config.publicUrl(port());
    }

    /** Every HTTP route as {@code METHOD /path} with who may call it. */
    public java.util.Map<String, io.agenthub.server.http.Access> routes() {
        return router.describe();
    }

    /** What every HTTP route declares for the degradation tiers. */
    public java.util.Map<String, io.agenthub.tier.Work> routeWork() {
        return router.works();
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
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Streams wait on the message signal for up to a heartbeat; end them before the server stops.
        events.close();
        dashboardStream.close();
        dashboardFeed.close();
        mcp.close();
        http.stop();
        guarded("final flush", () -> {
            services.counters.flush();
            services.traces.flush();
            services.security.flush();
        });
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("close failed: {}", e.getMessage());
            }
        }
        services.metrics.close();
        stores.close();
        if (lock != null) {
            lock.close();
        }
    }
}
