package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.DrillStoreContract;

class RedisDrillStoreTest extends DrillStoreContract {
    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }
}
