package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.AlertStoreContract;

/** The alert contract on a three-master Redis Cluster. */
class RedisClusterAlertStoreTest extends AlertStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
