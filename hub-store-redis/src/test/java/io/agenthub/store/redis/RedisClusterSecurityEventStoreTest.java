package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.SecurityEventStoreContract;

/** The security event contract on a three-master Redis Cluster. */
class RedisClusterSecurityEventStoreTest extends SecurityEventStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
