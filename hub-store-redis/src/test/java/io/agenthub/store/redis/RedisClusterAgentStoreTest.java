package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.AgentStoreContract;

/** The agent contract on a three-master Redis Cluster. */
class RedisClusterAgentStoreTest extends AgentStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
