package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.BudgetStoreContract;

/** The budget contract on a three-master Redis Cluster. */
class RedisClusterBudgetStoreTest extends BudgetStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
