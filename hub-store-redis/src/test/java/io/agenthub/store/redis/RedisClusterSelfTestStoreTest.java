package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.SelfTestStoreContract;

/** The selfTest contract on a three-master Redis Cluster. */
class RedisClusterSelfTestStoreTest extends SelfTestStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
