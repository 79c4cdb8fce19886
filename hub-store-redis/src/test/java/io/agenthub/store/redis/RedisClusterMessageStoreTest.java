package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.MessageStoreContract;

/** The message contract on a three-master Redis Cluster. */
class RedisClusterMessageStoreTest extends MessageStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
