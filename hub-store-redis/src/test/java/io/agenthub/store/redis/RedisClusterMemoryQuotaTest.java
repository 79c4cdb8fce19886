package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.MemoryQuotaContract;

class RedisClusterMemoryQuotaTest extends MemoryQuotaContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
