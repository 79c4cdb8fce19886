package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.CheckpointStoreContract;

/** The checkpoint contract on a three-master Redis Cluster. */
class RedisClusterCheckpointStoreTest extends CheckpointStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
