package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.RateLimitStoreContract;

/** The rate limit contract on a three-master Redis Cluster. */
class RedisClusterRateLimitStoreTest extends RateLimitStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
