package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.ChangeSignalContract;

class RedisClusterChangeSignalTest extends ChangeSignalContract {
    @Override
    protected Stores openStores() throws Exception {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
