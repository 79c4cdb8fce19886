package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.UsageStoreContract;

/** The usage contract on a three-master Redis Cluster. */
class RedisClusterUsageStoreTest extends UsageStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
