package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.ScratchStoresContract;

/** The scratchs contract on a three-master Redis Cluster. */
class RedisClusterScratchStoresTest extends ScratchStoresContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
