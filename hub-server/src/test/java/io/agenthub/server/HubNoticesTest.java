package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hub notices go to the ops channel; an agent's inbox gets the ones that concern it; hot-start shows conversation. */
class HubNoticesTest {
    @Test
    void presence_lease_and_tier_notices_land_in_the_ops_channel_and_not_in_general() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "reaped-leases", "release"))) {
            String quiet = hub.agent("quiet");
            String peer = hub.agent("peer");
            hub.post(quiet, "/api/heartbeat", Map.of("status", "busy"));
            assertThat(hub.post(quiet, "/api/leases", Map.of("resource", "held.txt", "ttlSeconds", 3600))
                            .status())
                    .isEqualTo(201);
            hub.post(peer, "/api/chat", Map.of("channel", "general", "text", "parser review under way"));
            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "LLM API throttled"));

            clock.advance(Duration.ofSeconds(181));
            hub.hub().services.reaper.run();
            clock.advance(Duration.ofSeconds(121));
            hub.hub().services.reaper.run();

            List<String> ops = texts(hub.get(peer, "/api/chat?channel=ops&limit=100"));
            assertThat(ops)
                    .anyMatch(t -> t.startsWith("quiet is stale"))
                    .anyMatch(t -> t.startsWith("Released 1 lease(s) of quiet"))
                    .anyMatch(t -> t.startsWith("Tier 2 (reduced)"));
            assertThat(authors(hub.get(peer, "/api/chat?channel=general&limit=100")))
                    .as("general keeps only what agents and people wrote")
                    .containsExactly("peer");
        }
    }

    @Test
    void an_agent_gets_in_its_inbox_only_the_notices_that_concern_it() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "reaped-leases", "release"))) {
            String quiet = hub.agent("quiet");
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            hub.post(quiet, "/api/leases", Map.of("resource", "held.txt", "ttlSeconds", 3600));
            String handoff = hub.post(alice, "/api/handoffs", Map.of("to", "bob", "title", "finish the parser"))
                    .json()
                    .path("id")
                    .asString();

            clock.advance(Duration.ofSeconds(181));
            hub.hub().services.reaper.run();
            clock.advance(Duration.ofSeconds(121));
            hub.hub().services.reaper.run();

            assertThat(texts(hub.get(bob, "/api/inbox?after=0")))
                    .as("a handoff offered to bob")
                    .anyMatch(t -> t.startsWith("Handoff " + handoff))
                    .noneMatch(t -> t.contains("quiet"));
            assertThat(texts(hub.get(quiet, "/api/inbox?after=0")))
                    .as("the agent whose leases the hub released")
                    .anyMatch(t -> t.startsWith("The hub released 1 lease(s) of yours") && t.contains("held.txt"))
                    .noneMatch(t -> t.contains(handoff));
            assertThat(texts(hub.get(alice, "/api/inbox?after=0"))).isEmpty();
        }
    }

    @Test
    void hot_start_recent_chat_leaves_hub_notices_out() throws Exception {
        try (TestHub hub = new TestHub()) {
            String phoenix = hub.agent("phoenix");
            String peer = hub.agent("peer");
            hub.post(peer, "/api/chat", Map.of("channel", "general", "text", "parser review under way"));
            // A notice in #general, as a hub configured with ops-channel=general (or one before it) wrote them.
            hub.hub().services.messages.announce("general", "peer is stale: no call for 180 s.");
            hub.hub().services.announce("Agent rogue was disabled by admin: leaked token.");

            String md = hub.get(phoenix, "/api/hot-start?format=markdown").raw().body();
            assertThat(md).contains("parser review under way").doesNotContain("is stale", "was disabled");
            String json = hub.get(phoenix, "/api/hot-start").raw().body();
            assertThat(json).contains("parser review under way").doesNotContain("is stale", "was disabled");
        }
    }

    private static List<String> texts(TestHub.Response r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("messages").forEach(m -> out.add(m.path("text").asString()));
        return out;
    }

    private static List<String> authors(TestHub.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("messages").forEach(m -> out.add(m.path("author").asString()));
        return out;
    }
}
