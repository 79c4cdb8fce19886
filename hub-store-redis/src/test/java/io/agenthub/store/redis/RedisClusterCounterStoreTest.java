package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.CounterStoreContract;

/** The counter contract on a three-master Redis Cluster. */
class RedisClusterCounterStoreTest extends CounterStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
