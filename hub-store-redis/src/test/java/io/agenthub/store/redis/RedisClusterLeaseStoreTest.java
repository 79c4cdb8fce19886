package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.LeaseStoreContract;

/** The lease contract on a three-master Redis Cluster. */
class RedisClusterLeaseStoreTest extends LeaseStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
