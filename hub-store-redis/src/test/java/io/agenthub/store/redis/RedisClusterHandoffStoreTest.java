package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.HandoffStoreContract;

/** The handoff contract on a three-master Redis Cluster. */
class RedisClusterHandoffStoreTest extends HandoffStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
