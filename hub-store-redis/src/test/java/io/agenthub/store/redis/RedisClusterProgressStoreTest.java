package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.ProgressStoreContract;

/** The progress contract on a three-master Redis Cluster. */
class RedisClusterProgressStoreTest extends ProgressStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
