package io.agenthub.store.redis;

import io.agenthub.store.Stores;
import io.agenthub.tck.SnapshotStoreContract;

/** The snapshot contract on a three-master Redis Cluster: the export pauses writes on every master. */
class RedisClusterSnapshotStoreTest extends SnapshotStoreContract {
    @Override
    protected Stores openStores() {
        return RedisClusterFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisClusterFixture.reopen(old);
    }
}
