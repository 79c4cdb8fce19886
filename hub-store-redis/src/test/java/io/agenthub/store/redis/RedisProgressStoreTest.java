package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Progress;
import io.agenthub.store.Stores;
import io.agenthub.tck.ProgressStoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisProgressStoreTest extends ProgressStoreContract {
    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }

    @Test
    void many_records_are_listed_in_pages_in_id_order() {
        int fleet = 2 * IdPages.PAGE + 5;
        List<String> ids = new ArrayList<>();
        Instant at = Instant.parse("2026-12-07T00:00:00Z");
        for (int i = 0; i < fleet; i++) {
            String id = String.format("agent-%05d", i);
            ids.add(id);
            stores.progress().progress(id, at);
        }
        long before = LocalRedisServer.shared().calls("evalsha", "eval");
        List<Progress> listed = stores.progress().list();
        long scripts = LocalRedisServer.shared().calls("evalsha", "eval") - before;
        assertThat(listed).extracting(Progress::agentId).containsExactlyElementsOf(ids);
        assertThat(listed).allSatisfy(p -> assertThat(p.lastProgressAt()).isEqualTo(at));
        assertThat(scripts).isEqualTo(3);
    }
}
