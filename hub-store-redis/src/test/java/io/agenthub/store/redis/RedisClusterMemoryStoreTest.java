package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.MemoryStoreContract;

/** The memory contract on a three-master Redis Cluster. */
class RedisClusterMemoryStoreTest extends MemoryStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
