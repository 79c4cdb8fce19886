package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.CredentialStoreContract;

/** The credential contract on a three-master Redis Cluster. */
class RedisClusterCredentialStoreTest extends CredentialStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
