package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.RolloutStoreContract;

/** The rollout contract on a three-master Redis Cluster. */
class RedisClusterRolloutStoreTest extends RolloutStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
