package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reaper judges presence from the injected clock and frees a silent agent's leases after the grace period. */
class PresenceTest {
    @Test
    void silent_agent_goes_stale_then_offline_and_loses_its_leases_after_the_grace() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "reaped-leases", "release"))) {
            String quiet = hub.agent("quiet");
            String lively = hub.agent("lively");
            hub.post(quiet, "/api/heartbeat", Map.of("status", "busy"));
            hub.post(lively, "/api/heartbeat", Map.of("status", "busy"));
            hub.post(quiet, "/api/leases", Map.of("resource", "held.txt", "ttlSeconds", 3600));

            clock.advance(Duration.ofSeconds(179));
            hub.post(lively, "/api/heartbeat", Map.of());
            assertThat(hub.hub().services.reaper.run().stale()).isEmpty();

            clock.advance(Duration.ofSeconds(2));
            hub.post(lively, "/api/heartbeat", Map.of());
            var pass = hub.hub().services.reaper.run();
            assertThat(pass.stale()).containsExactly("quiet");
            assertThat(pass.released()).isEmpty();
            assertThat(presenceOf(hub, lively, "quiet")).isEqualTo("stale");
            assertThat(presenceOf(hub, lively, "lively")).isEqualTo("online");

            clock.advance(Duration.ofSeconds(120));
            hub.post(lively, "/api/heartbeat", Map.of());
            var grace = hub.hub().services.reaper.run();
            assertThat(grace.released()).extracting(l -> l.resource()).containsExactly("held.txt");
            assertThat(hub.post(lively, "/api/leases", Map.of("resource", "held.txt"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=1000").raw().body())
                    .contains("lease.reaped", "agent.stale");

            clock.advance(Duration.ofMinutes(15));
            hub.hub().services.reaper.run();
            assertThat(presenceOf(hub, TestHub.ADMIN, "quiet")).isEqualTo("offline");

            hub.post(quiet, "/api/heartbeat", Map.of());
            assertThat(presenceOf(hub, TestHub.ADMIN, "quiet")).isEqualTo("online");
        }
    }

    private static String presenceOf(TestHub hub, String token, String id) {
        return hub.get(token, "/api/agents/" + id)
                .json()
                .path("agent")
                .path("presence")
                .asString();
    }
}
