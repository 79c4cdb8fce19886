package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.TaskStoreContract;

/** The task contract on a three-master Redis Cluster. */
class RedisClusterTaskStoreTest extends TaskStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
