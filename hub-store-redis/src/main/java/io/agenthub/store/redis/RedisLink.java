package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Redis client of a hub node: a few shared, thread-safe connections used round-robin, every command bounded by
 * the configured timeout, and every driver failure turned into {@link HubException.Unavailable} here, at the store
 * boundary. Commands issued while disconnected fail at once instead of queueing; the client reconnects by itself.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /** Reconnect attempts back off from 10 ms to at most this, so a returning Redis is used within a second. */
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final RedisClient client;
    private final String where;
    private final Duration timeout;
    private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private RedisLink(ClientResources resources, RedisClient client, String where, Duration timeout) {
        this.resources = resources;
        this.client = client;
        this.where = where;
        this.timeout = timeout;
    }

    /**
     * Connects to {@code url} ({@code redis://} or {@code rediss://}, with optional user, password and database).
     *
     * @param connections how many multiplexed connections to spread commands over
     */
    static RedisLink connect(String url, Duration timeout, int connections) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        String where = describe(uri);
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(timeout)
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        RedisLink link = new RedisLink(resources, client, where, timeout);
        try {
            for (int i = 0; i < connections; i++) {
                link.connections.add(client.connect());
            }
        } catch (RedisException e) {
            link.close();
            throw link.unavailable("connect", e);
        }
        return link;
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

    Duration timeout() {
        return timeout;
    }

    /** Runs commands on one of the shared connections; driver failures become {@link HubException.Unavailable}. */
    <T> T call(String what, Function<RedisClusterCommands<String, String>, T> action) {
        try {
            return action.apply(commands());
        } catch (RedisCommandExecutionException e) {
            throw mapped(what, e);
        } catch (RedisException e) {
            throw unavailable(what, e);
        }
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

    /** Opens a dedicated connection for subscriptions. */
    StatefulRedisPubSubConnection<String, String> connectPubSub() {
        try {
            return client.connectPubSub();
        } catch (RedisException e) {
            throw unavailable("subscribe", e);
        }
    }

    private RedisClusterCommands<String, String> commands() {
        int i = Math.floorMod(next.getAndIncrement(), connections.size());
        return connections.get(i).sync();
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
        for (StatefulRedisConnection<String, String> c : connections) {
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
