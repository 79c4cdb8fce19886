package io.agenthub.store.redis;

import io.agenthub.deadline.RequestDeadline;
import io.agenthub.error.HubException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Redis client of a hub node: shared, thread-safe connections used round-robin, every command bounded by the
 * configured timeout, and every driver failure turned into {@link HubException.Unavailable} here, at the store
 * boundary. Commands issued while disconnected fail at once instead of queueing; the client reconnects by itself.
 *
 * <p>A Redis Cluster is recognised from {@code INFO cluster} and served by the cluster client, which routes each
 * command (and each script, by its first key) to the master that owns the slot. Its per-node connections are opened on
 * first use, so there commands wait for a connection (within the timeout) instead of failing at once.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** Reconnect attempts back off from 10 ms to at most this, so a returning Redis is used within a second. */
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    /**
     * Many request threads share a connection, and each of their commands would otherwise be flushed, and so written
     * to the socket, on its own. This handler, last in the pipeline where commands enter, turns a flush into a task on
     * the connection's event loop, after the writes already queued there: the commands that arrive together go out in
     * one write, and Redis reads them (and answers them) in one go. It delays no command by more than the writes
     * queued ahead of it, and never holds one back: each flush still happens, only later in the same loop.
     */
    private static final NettyCustomizer CONSOLIDATE_FLUSHES = new NettyCustomizer() {
        @Override
        public void afterChannelInitialized(Channel channel) {
            channel.pipeline().addLast("flush-consolidation", new FlushConsolidationHandler(256, true));
        }
    };

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSub;
    private final String where;
    private final boolean cluster;
    private final List<StatefulConnection<String, String>> connections = new ArrayList<>();
    private final List<RedisClusterCommands<String, String>> commands = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    /** True on a thread while it runs {@link #call}: its commands are bounded by its request's deadline too. */
    private static final ThreadLocal<Boolean> IN_CALL = ThreadLocal.withInitial(() -> false);

    private RedisLink(
            ClientResources resources,
            AbstractRedisClient client,
            Supplier<StatefulRedisPubSubConnection<String, String>> pubSub,
            String where,
            boolean cluster) {
        this.resources = resources;
        this.client = client;
        this.pubSub = pubSub;
        this.where = where;
        this.cluster = cluster;
    }

    /**
     * Connects to {@code url} ({@code redis://} or {@code rediss://}, with optional user, password and database), a
     * single server or any node of a cluster; {@code tls} gives the certificates of a {@code rediss://} connection.
     *
     * @param connections how many multiplexed connections to spread commands over (a cluster uses one, which holds a
     *     connection per node)
     */
    static RedisLink connect(String url, Duration timeout, int connections, RedisTls tls) {
        tls.requireTlsUrl(url);
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        String where = describe(uri);
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(CONSOLIDATE_FLUSHES)
                .build();
        RedisLink link = null;
        try {
            RedisClient single = RedisClient.create(resources, uri);
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socketOptions(timeout))
                    .timeoutOptions(timeoutOptions(timeout))
                    .sslOptions(tls.sslOptions())
                    .build());
            StatefulRedisConnection<String, String> first = single.connect();
            if (!isCluster(first)) {
                link = new RedisLink(resources, single, single::connectPubSub, where, false);
                link.add(first, first.sync());
                for (int i = 1; i < connections; i++) {
                    StatefulRedisConnection<String, String> c = single.connect();
                    link.add(c, c.sync());
                }
                return link;
            }
            first.close();
            single.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            RedisClusterClient clustered = RedisClusterClient.create(resources, uri);
            clustered.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    // The cluster client connects to each node on first use, so commands must wait for that
                    // connection rather than be rejected; the timeout still bounds every one of them.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .socketOptions(socketOptions(timeout))
                    .timeoutOptions(timeoutOptions(timeout))
                    .sslOptions(tls.sslOptions())
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            link = new RedisLink(resources, clustered, clustered::connectPubSub, where + " (cluster)", true);
            StatefulRedisClusterConnection<String, String> c = clustered.connect();
            link.add(c, c.sync());
            return link;
        } catch (RedisException e) {
            if (link != null) {
                link.close();
            } else {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
            throw new HubException.Unavailable(
                    "Cannot connect to the hub's Redis store at " + where + " (" + reasons(e)
                            + "); check HUB_REDIS_URL, its credentials and certificates, and that Redis is running.",
                    RETRY_AFTER,
                    e);
        }
    }

    /** The messages of an exception and its causes, each once: a TLS or authentication failure is in a cause. */
    private static String reasons(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 8; depth++, c = c.getCause()) {
            if (c.getMessage() != null && out.indexOf(c.getMessage()) < 0) {
                out.append(": ").append(c.getMessage());
            }
        }
        return out.toString();
    }

    /** True for a cluster node; a server (or ACL user) that refuses {@code INFO} is taken for a single server. */
    private static boolean isCluster(StatefulRedisConnection<String, String> connection) {
        try {
            return connection.sync().info("cluster").contains("cluster_enabled:1");
        } catch (RedisCommandExecutionException e) {
            LOG.debug("INFO cluster refused; assuming a single Redis server", e);
            return false;
        }
    }

    /**
     * Every command is bounded by {@code timeout}; one sent by {@link #call} on a request's thread also by the time left
     * of the request's {@link RequestDeadline}, whichever is sooner. Commands of dedicated connections (a snapshot) and
     * of threads without a deadline keep the plain timeout.
     */
    private static TimeoutOptions timeoutOptions(Duration timeout) {
        long limit = timeout.toNanos();
        return TimeoutOptions.builder()
                .timeoutCommands(true)
                .timeoutSource(new TimeoutOptions.TimeoutSource() {
                    @Override
                    public long getTimeout(RedisCommand<?, ?, ?> command) {
                        if (!IN_CALL.get()) {
                            return limit;
                        }
                        return Math.max(1, Math.min(limit, RequestDeadline.remainingNanos()));
                    }

                    @Override
                    public TimeUnit getTimeUnit() {
                        return TimeUnit.NANOSECONDS;
                    }
                })
                .build();
    }

    private static SocketOptions socketOptions(Duration timeout) {
        return SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
    }

    private void add(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync) {
        connections.add(connection);
        commands.add(sync);
    }

    /** Host, port and database, never credentials: safe for logs and messages. */
    static String describe(RedisURI uri) {
        String host = uri.getSocket() != null ? uri.getSocket() : uri.getHost() + ":" + uri.getPort();
        return (uri.isSsl() ? "rediss://" : "redis://") + host + "/" + uri.getDatabase();
    }

    /** Where this link points, without credentials. */
    String where() {
        return where;
    }

    /** True when connected to a Redis Cluster. */
    boolean cluster() {
        return cluster;
    }

    /**
     * Runs commands on one of the shared connections; driver failures become {@link HubException.Unavailable}. On a
     * thread with a {@link RequestDeadline}, each command gets at most the time left, and none is sent once it has
     * passed (503 with {@code outcome} {@code not_sent}); a command that times out after it was sent may have taken
     * effect on the server (503 with {@code outcome} {@code unknown}). Either way nothing is acknowledged.
     */
    <T> T call(String what, Function<RedisClusterCommands<String, String>, T> action) {
        if (RequestDeadline.remainingNanos() <= 0) {
            throw budgetSpent(what);
        }
        boolean outer = !IN_CALL.get();
        IN_CALL.set(true);
        try {
            return action.apply(commands());
        } catch (RedisCommandTimeoutException e) {
            throw timedOut(what, e);
        } catch (RedisCommandExecutionException e) {
            throw mapped(what, e);
        } catch (RedisException e) {
            throw unavailable(what, e);
        } finally {
            if (outer) {
                IN_CALL.set(false);
            }
        }
    }

    private HubException.Unavailable budgetSpent(String what) {
        return new HubException.Unavailable(
                "unavailable",
                "The hub's Redis store at " + where + " is too slow: this request spent its "
                        + RequestDeadline.budget().toMillis() + " ms budget (redis-request-budget) before " + what
                        + ", which was not sent; retry in a few seconds.",
                RETRY_AFTER,
                Map.of("outcome", "not_sent"));
    }

    private HubException.Unavailable timedOut(String what, RedisCommandTimeoutException e) {
        LOG.debug("Redis {} timed out", what, e);
        boolean budget = RequestDeadline.remainingNanos() <= 0;
        return new HubException.Unavailable(
                "unavailable",
                "The hub's Redis store at " + where + " did not answer " + what + " in time ("
                        + (budget
                                ? "this request's " + RequestDeadline.budget().toMillis()
                                        + " ms budget, redis-request-budget"
                                : "redis-timeout")
                        + "). The request may or may not have taken effect: read the state back before"
                        + " repeating a write that must not happen twice; retry in a few seconds.",
                RETRY_AFTER,
                Map.of("outcome", "unknown"));
    }

    /**
     * The next connection, round-robin, skipping any that is not connected (after an outage the connections come back
     * one by one); if none is, the first pick, which fails fast.
     */
    private RedisClusterCommands<String, String> commands() {
        int n = commands.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            int k = (start + i) % n;
            if (connections.get(k).isOpen()) {
                return commands.get(k);
            }
        }
        return commands.get(start);
    }

    /** Runs a script with {@code EVALSHA}, sending its source with {@code EVAL} only if the server lacks it. */
    <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return call(script.name(), c -> {
            try {
                return c.evalsha(script.sha(), type, keys, args);
            } catch (RedisNoScriptException e) {
                // A restarted or flushed server, or a new cluster node; EVAL also caches it for the next EVALSHA.
                return c.eval(script.source(), type, keys, args);
            }
        });
    }

    /**
     * Opens a connection of its own, for work that must not share a connection with other threads: a snapshot export
     * pauses writes on the server, and another thread's write waiting out the pause on a shared connection would hold
     * up every command queued behind it on that connection, the export's reads included.
     */
    Dedicated dedicated() {
        try {
            if (client instanceof RedisClusterClient clustered) {
                StatefulRedisClusterConnection<String, String> c = clustered.connect();
                return new Dedicated(c, c.sync(), c.async(), () -> masters(c));
            }
            StatefulRedisConnection<String, String> c = ((RedisClient) client).connect();
            return new Dedicated(c, c.sync(), c.async(), () -> List.of(c.sync()));
        } catch (RedisException e) {
            throw unavailable("connect", e);
        }
    }

    private static List<RedisClusterCommands<String, String>> masters(
            StatefulRedisClusterConnection<String, String> c) {
        List<RedisClusterCommands<String, String>> out = new ArrayList<>();
        for (RedisClusterNode node : c.getPartitions()) {
            if (node.getRole().isUpstream() && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
                out.add(c.getConnection(node.getNodeId()).sync());
            }
        }
        return out;
    }

    /**
     * A connection that one caller has to itself, with the commands of every master (one for a single server), for
     * commands that concern a whole server such as {@code CLIENT PAUSE}. Driver failures are not mapped here; callers
     * map them with {@link RedisLink#unavailable}.
     */
    record Dedicated(
            StatefulConnection<String, String> connection,
            RedisClusterCommands<String, String> sync,
            RedisClusterAsyncCommands<String, String> async,
            Supplier<List<RedisClusterCommands<String, String>>> masters)
            implements AutoCloseable {
        /** The timeout of every command, as on the shared connections. */
        Duration timeout() {
            return connection.getTimeout();
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a dedicated Redis connection failed", e);
            }
        }
    }

    /**
     * Opens a dedicated connection subscribed to {@code channel}: {@code message} gets each message on it (on the
     * client's I/O thread), {@code subscribed} runs whenever the subscription is (re)established.
     */
    StatefulRedisPubSubConnection<String, String> subscribe(
            String channel, java.util.function.Consumer<String> message, Runnable subscribed) {
        StatefulRedisPubSubConnection<String, String> subscription = connectPubSub();
        subscription.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String text) {
                if (from.equals(channel)) {
                    message.accept(text);
                }
            }

            @Override
            public void subscribed(String to, long count) {
                if (to.equals(channel)) {
                    subscribed.run();
                }
            }
        });
        try {
            subscription.sync().subscribe(channel);
        } catch (RedisException e) {
            subscription.close();
            throw unavailable("subscribe", e);
        }
        return subscription;
    }

    /** Opens a dedicated connection for subscriptions. */
    StatefulRedisPubSubConnection<String, String> connectPubSub() {
        try {
            return pubSub.get();
        } catch (RedisException e) {
            throw unavailable("subscribe", e);
        }
    }

    private RuntimeException mapped(String what, RedisCommandExecutionException e) {
        String message = String.valueOf(e.getMessage());
        // A failing script is a bug in this module, not an outage: report it as one (HTTP 500), not as a 503.
        if (message.contains("user_script") || message.startsWith("ERR Error running script")) {
            return new IllegalStateException("Redis script " + what + " failed: " + message, e);
        }
        return unavailable(what, e);
    }

    HubException.Unavailable unavailable(String what, RuntimeException e) {
        LOG.debug("Redis {} failed", what, e);
        return new HubException.Unavailable(
                "The hub's Redis store at " + where + " is not answering (" + what + ": " + e.getMessage()
                        + "); retry in a few seconds.",
                RETRY_AFTER,
                e);
    }

    @Override
    public void close() {
        for (StatefulConnection<String, String> c : connections) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a Redis connection failed", e);
            }
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
