package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.FlagStoreContract;

/** The flag contract on a three-master Redis Cluster. */
class RedisClusterFlagStoreTest extends FlagStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
