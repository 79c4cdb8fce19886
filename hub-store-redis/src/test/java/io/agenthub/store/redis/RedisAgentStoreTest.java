package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.auth.Role;
import io.agenthub.store.Stores;
import io.agenthub.tck.AgentStoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisAgentStoreTest extends AgentStoreContract {
    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }

    @Test
    void a_large_fleet_is_listed_in_pages_each_a_script_call_of_its_own_in_id_order() {
        int fleet = 2 * IdPages.PAGE + 37;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < fleet; i++) {
            String id = String.format("agent-%05d", i);
            ids.add(id);
            stores.agents().create(Agent.fresh(id, id, Role.AGENT, List.of(), Map.of(), Instant.EPOCH));
        }
        long before = LocalRedisServer.shared().calls("evalsha", "eval");
        List<Agent> listed = stores.agents().list();
        long scripts = LocalRedisServer.shared().calls("evalsha", "eval") - before;
        assertThat(listed).extracting(Agent::id).containsExactlyElementsOf(ids);
        // Three pages (200, 200, 37): three script calls, none holding Redis for a whole fleet.
        assertThat(scripts).isEqualTo(3);
    }
}
