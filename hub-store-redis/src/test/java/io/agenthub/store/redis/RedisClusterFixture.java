package io.agenthub.store.redis;

import io.agenthub.store.Stores;

/** Opens Redis stores on the tests' three-master cluster under a fresh prefix; reopening keeps the prefix. */
final class RedisClusterFixture {
    private RedisClusterFixture() {}

    static RedisStores fresh() {
        LocalRedisCluster cluster = LocalRedisCluster.shared();
        RedisStores stores = RedisStores.open(cluster.url(), cluster.freshPrefix(), RedisFixture.TIMEOUT);
        if (!stores.clustered()) {
            stores.close();
            throw new IllegalStateException("expected a Redis Cluster at " + cluster.url());
        }
        return stores;
    }

    static RedisStores reopen(Stores old) {
        RedisStores redis = (RedisStores) old;
        String prefix = redis.prefix();
        redis.close();
        return RedisStores.open(LocalRedisCluster.shared().url(), prefix, RedisFixture.TIMEOUT);
    }
}
