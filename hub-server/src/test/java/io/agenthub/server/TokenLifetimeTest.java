package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Agent tokens expire, are renewed with an overlap, replaced at once, and rotated fleet-wide with an overlap. */
class TokenLifetimeTest {

    private static int whoami(TestHub hub, String token) {
        return hub.get(token, "/api/whoami").status();
    }

    @Test
    void a_token_stops_working_after_agent_token_ttl_and_a_renewed_one_overlaps_the_old() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
        try (TestHub hub = TestHub.withClock(
                clock, Map.of("agent-token-ttl", "1h", "agent-token-overlap", "10m", "reaper-interval", "1h"))) {
            String first = hub.agent("ttl-a");
            assertThat(whoami(hub, first)).isEqualTo(200);
            clock.advance(Duration.ofMinutes(50));

            TestHub.Response renewed = hub.postRaw(first, "/api/tokens/renew", "");
            assertThat(renewed.status()).as(renewed.raw().body()).isEqualTo(200);
            String second = renewed.json().path("token").asString();
            assertThat(renewed.json().path("expiresAt").asString()).isEqualTo("2026-03-01T10:50:00Z");
            assertThat(renewed.json().path("oldValidUntil").asString()).isEqualTo("2026-03-01T10:00:00Z");
            assertThat(whoami(hub, second)).isEqualTo(200);
            clock.advance(Duration.ofMinutes(9));
            assertThat(whoami(hub, first))
                    .as("the old token within the overlap")
                    .isEqualTo(200);
            clock.advance(Duration.ofMinutes(2));
            assertThat(whoami(hub, first)).as("the old token after the overlap").isEqualTo(401);
            assertThat(whoami(hub, second)).isEqualTo(200);
            clock.advance(Duration.ofMinutes(50));
            assertThat(whoami(hub, second))
                    .as("the renewed token after its own ttl")
                    .isEqualTo(401);
            // Admin tokens are rotated, not renewed.
            assertThat(hub.postRaw(TestHub.ADMIN, "/api/tokens/renew", "").status())
                    .isEqualTo(403);
        }
    }

    @Test
    void tokens_do_not_expire_by_default() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String token = hub.agent("forever");
            clock.advance(Duration.ofDays(400));
            assertThat(whoami(hub, token)).isEqualTo(200);
        }
    }

    @Test
    void a_replacing_token_revokes_the_others_at_once_and_a_plain_one_does_not() throws Exception {
        try (TestHub hub = new TestHub()) {
            String first = hub.agent("leaky");
            String second = hub.post(TestHub.ADMIN, "/api/agents/leaky/tokens", Map.of())
                    .json()
                    .path("token")
                    .asString();
            assertThat(whoami(hub, first)).isEqualTo(200);
            CliRun replaced =
                    CliRun.of("agent", "token", "leaky", "--replace", "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(replaced.code()).as(replaced.err()).isZero();
            String third = replaced.out().strip();
            assertThat(whoami(hub, first)).isEqualTo(401);
            assertThat(whoami(hub, second)).isEqualTo(401);
            assertThat(whoami(hub, third)).isEqualTo(200);
        }
    }

    @Test
    void rotating_agent_tokens_gives_each_agent_a_new_one_and_ends_the_old_after_the_overlap() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String a = hub.agent("rot-a");
            String b = hub.agent("rot-b");
            String v = hub.viewer("rot-v");
            JsonNode r = hub.post(TestHub.ADMIN, "/api/keys/rotate", Map.of("overlapSeconds", 600, "agents", true))
                    .json();
            String admin = r.path("adminToken").asString();
            JsonNode tokens = r.path("agentTokens");
            assertThat(tokens.propertyNames()).contains("rot-a", "rot-b", "rot-v");
            clock.advance(Duration.ofMinutes(9));
            assertThat(whoami(hub, a)).isEqualTo(200);
            clock.advance(Duration.ofMinutes(2));
            for (String old : new String[] {a, b, v}) {
                assertThat(whoami(hub, old)).isEqualTo(401);
            }
            for (String agent : new String[] {"rot-a", "rot-b", "rot-v"}) {
                assertThat(whoami(hub, tokens.path(agent).asString())).as(agent).isEqualTo(200);
            }
            // Without --agents, agent tokens are left alone.
            String fresh = tokens.path("rot-a").asString();
            hub.post(admin, "/api/keys/rotate", Map.of("overlapSeconds", 0));
            assertThat(whoami(hub, fresh)).isEqualTo(200);
        }
    }
}
