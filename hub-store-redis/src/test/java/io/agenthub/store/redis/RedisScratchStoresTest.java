package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.auth.Role;
import io.agenthub.store.Stores;
import io.agenthub.tck.ScratchStoresContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisScratchStoresTest extends ScratchStoresContract {
    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }

    /**
     * Deleting a namespace scans the whole keyspace, so its cost grows with the hub's history: a namespace inside
     * another leaves the deleting to the outer one, and a self-test run of many checks scans once.
     */
    @Test
    void only_the_outermost_namespace_scans_the_keyspace_on_close() throws Exception {
        try (Stores run = stores.openScratch("run")) {
            long before = scans();
            for (int i = 0; i < 5; i++) {
                try (Stores check = run.openScratch("c" + i)) {
                    check.agents().create(Agent.fresh("a" + i, "A", Role.AGENT, List.of(), Map.of(), clock.instant()));
                }
            }
            assertThat(scans()).as("closing inner namespaces scans nothing").isEqualTo(before);
        }
        try (Stores run = stores.openScratch("run");
                Stores check = run.openScratch("c0")) {
            assertThat(check.agents().list()).isEmpty();
        }
    }

    private static long scans() {
        return LocalRedisServer.shared().calls("scan");
    }
}
