package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acknowledged writes survive a restart of the hub on the same data directory. */
class RestartTest {
    @Test
    void agents_tokens_and_leases_survive_a_restart_and_tokens_keep_growing() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("survivor");
            long before = hub.post(token, "/api/leases", Map.of("resource", "keep.txt", "ttlSeconds", 600))
                    .json()
                    .path("token")
                    .asLong();

            hub.restart();

            assertThat(hub.get(token, "/api/whoami").json().path("id").asString())
                    .isEqualTo("survivor");
            TestHub.Response leases = hub.get(token, "/api/leases?holder=survivor");
            assertThat(leases.json().path("leases").get(0).path("resource").asString())
                    .isEqualTo("keep.txt");
            long after = hub.post(token, "/api/leases", Map.of("resource", "new.txt"))
                    .json()
                    .path("token")
                    .asLong();
            assertThat(after).isGreaterThan(before);
        }
    }
}
