package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.ErrorLogStoreContract;

/** The errorLog contract on a three-master Redis Cluster. */
class RedisClusterErrorLogStoreTest extends ErrorLogStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
