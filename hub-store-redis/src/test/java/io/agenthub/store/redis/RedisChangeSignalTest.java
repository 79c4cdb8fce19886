package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.ChangeSignalContract;

class RedisChangeSignalTest extends ChangeSignalContract {
    @Override
    protected Stores openStores() throws Exception {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }
}
