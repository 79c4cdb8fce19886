package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.TraceStoreContract;

/** The trace contract on a three-master Redis Cluster. */
class RedisClusterTraceStoreTest extends TraceStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
