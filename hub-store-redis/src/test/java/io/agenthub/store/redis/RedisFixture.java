package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import java.time.Duration;

/** Opens Redis stores on the tests' own server under a fresh prefix, and reopens the same prefix as a restart. */
final class RedisFixture {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private RedisFixture() {}

    static RedisStores fresh() {
        LocalRedisServer server = LocalRedisServer.shared();
        return RedisStores.open(server.url(), server.freshPrefix(), TIMEOUT);
    }

    static RedisStores reopen(Stores old) {
        RedisStores redis = (RedisStores) old;
        String prefix = redis.prefix();
        redis.close();
        return RedisStores.open(LocalRedisServer.shared().url(), prefix, TIMEOUT);
    }
}
