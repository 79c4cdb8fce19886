package io.agenthub.store.redis;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Commands sent without waiting for each reply and awaited a batch at a time: many commands cost about one round trip
 * per batch instead of one each, and no command waits behind so many others that it outlives the command timeout. In
 * a cluster each command goes to the master of its key's slot. Not thread-safe: one caller, on a
 * {@link RedisLink.Dedicated} connection.
 */
final class RedisPipeline {
    /** Commands in flight before the pipeline waits for their replies. */
    static final int BATCH = 1_000;

    private final RedisClusterAsyncCommands<String, String> async;
    private final Duration timeout;
    private final List<RedisFuture<?>> pending = new ArrayList<>();

    RedisPipeline(RedisClusterAsyncCommands<String, String> async, Duration timeout) {
        this.async = async;
        this.timeout = timeout;
    }

    /** Sends a command; its reply is there once {@link #await()} returned (which this call may do itself). */
    <T> RedisFuture<T> send(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        RedisFuture<T> f = command.apply(async);
        pending.add(f);
        if (pending.size() >= BATCH) {
            await();
        }
        return f;
    }

    /** Sends one command per element and returns the replies in the same order. */
    <E, T> List<T> each(
            List<E> elements, BiFunction<RedisClusterAsyncCommands<String, String>, E, RedisFuture<T>> command) {
        List<RedisFuture<T>> futures = new ArrayList<>(elements.size());
        for (E e : elements) {
            futures.add(send(a -> command.apply(a, e)));
        }
        await();
        List<T> out = new ArrayList<>(futures.size());
        for (RedisFuture<T> f : futures) {
            out.add(result(f));
        }
        return out;
    }

    /** Waits for every command sent so far; the first failure is thrown (as the driver's exception). */
    void await() {
        try {
            for (RedisFuture<?> f : pending) {
                result(f);
            }
        } finally {
            pending.clear();
        }
    }

    private <T> T result(RedisFuture<T> f) {
        try {
            return f.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RedisException(e.getCause());
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no reply within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        }
    }
}
