package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.TierStoreContract;

/** The tier contract on a three-master Redis Cluster. */
class RedisClusterTierStoreTest extends TierStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
