package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.DrillStoreContract;

/** The drill contract on a three-master Redis Cluster. */
class RedisClusterDrillStoreTest extends DrillStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
