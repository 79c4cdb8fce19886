package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Soul injection and digests, end to end: what a restarted agent gets back, within its size budget. */
class HotStartApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void a_restarted_agent_gets_its_checkpoint_leases_unread_messages_team_chat_and_memories() {
        String phoenix = hub.agent("phoenix");
        String peer = hub.agent("peer");
        hub.post(peer, "/api/heartbeat", Map.of("status", "busy", "currentTask", "reviewing the parser"));
        hub.post(peer, "/api/leases", Map.of("resource", "src/parser/"));
        assertThat(hub.post(
                                phoenix,
                                "/api/checkpoints",
                                Map.of(
                                        "currentTask",
                                        "migrate billing to v2",
                                        "progress",
                                        "schema done, API half way",
                                        "decisions",
                                        List.of("keep the v1 table until cutover"),
                                        "pendingWork",
                                        List.of("port the invoice endpoint"),
                                        "filesTouched",
                                        List.of("src/billing/api.ts"),
                                        "context",
                                        "customers with legacy plans need a flag",
                                        "contextTokens",
                                        91000))
                        .status())
                .isEqualTo(201);
        hub.post(phoenix, "/api/leases", Map.of("resource", "src/billing/api.ts", "ttlSeconds", 600));
        hub.post(
                peer,
                "/api/memories",
                Map.of(
                        "category",
                        "decision",
                        "content",
                        "billing invoices are immutable after sending",
                        "tags",
                        List.of("billing")));
        hub.post(peer, "/api/dm", Map.of("to", "phoenix", "text", "ping me before touching invoices"));
        hub.post(peer, "/api/chat", Map.of("channel", "general", "text", "parser review under way"));

        TestHub.Response r = hub.get(phoenix, "/api/hot-start");
        assertThat(r.status()).isEqualTo(200);
        JsonNode b = r.json();
        assertThat(b.path("agent").path("id").asString()).isEqualTo("phoenix");
        assertThat(b.path("checkpoint").path("currentTask").asString()).isEqualTo("migrate billing to v2");
        assertThat(b.path("leases").get(0).path("resource").asString()).isEqualTo("src/billing/api.ts");
        assertThat(b.path("inbox").get(0).path("text").asString()).isEqualTo("ping me before touching invoices");
        assertThat(b.path("team").toString()).contains("peer", "reviewing the parser", "src/parser/");
        assertThat(b.path("chat").toString()).contains("parser review under way");
        assertThat(b.path("memories").toString()).contains("billing invoices are immutable");
        String prompt = b.path("prompt").asString();
        assertThat(prompt)
                .contains("you are phoenix", "migrate billing to v2", "port the invoice endpoint")
                .contains("src/billing/api.ts", "ping me before touching invoices", "billing invoices are immutable");
        assertThat(b.path("promptChars").asInt()).isEqualTo(prompt.length());

        TestHub.Response md = hub.get(phoenix, "/api/hot-start?format=markdown");
        assertThat(md.header("Content-Type")).startsWith("text/markdown");
        assertThat(md.raw().body()).startsWith("# Soul injection");

        // Acknowledging the inbox cursor marks those messages read for the next hot-start.
        long cursor = b.path("inboxCursor").asLong();
        hub.get(phoenix, "/api/inbox?after=" + cursor);
        assertThat(hub.get(phoenix, "/api/hot-start").json().path("inbox").size())
                .isZero();
    }

    @Test
    void the_prompt_never_exceeds_the_budget_and_says_what_it_left_out() {
        String big = hub.agent("verbose");
        hub.post(
                big,
                "/api/checkpoints",
                Map.of(
                        "currentTask",
                        "t".repeat(3000),
                        "context",
                        "c".repeat(60_000),
                        "pendingWork",
                        List.of("a".repeat(2000), "b".repeat(2000))));
        for (int i = 0; i < 30; i++) {
            hub.post(big, "/api/leases", Map.of("resource", "files/f" + i + ".txt"));
        }
        for (int budget : new int[] {600, 1500, 5000, 20_000}) {
            JsonNode b = hub.get(big, "/api/hot-start?maxChars=" + budget).json();
            assertThat(b.path("prompt").asString().length())
                    .as("budget %d", budget)
                    .isLessThanOrEqualTo(budget);
            assertThat(b.path("maxChars").asInt()).isEqualTo(budget);
        }
        JsonNode small = hub.get(big, "/api/hot-start?maxChars=1500").json();
        assertThat(small.path("omitted").path("leases").asInt()).isPositive();
        assertThat(small.path("leases").size()).isLessThan(30);
        assertThat(hub.get(big, "/api/hot-start?maxChars=10").status()).isEqualTo(400);
    }

    @Test
    void hot_start_is_for_agents_and_each_agent_gets_only_its_own() {
        String a = hub.agent("solo-a");
        hub.agent("solo-b");
        assertThat(hub.get(a, "/api/hot-start?agentId=solo-b").status()).isEqualTo(403);
        assertThat(hub.get(TestHub.ADMIN, "/api/hot-start").status()).isEqualTo(400);
        assertThat(hub.get(TestHub.ADMIN, "/api/hot-start?agentId=solo-b").status())
                .isEqualTo(200);
    }

    @Test
    void digest_for_an_operator_id_summarises_the_fleet_and_for_an_agent_its_mentions() {
        String ops = hub.viewer("dash");
        String dev = hub.agent("dev-1");
        String lead = hub.agent("lead-1");
        hub.post(dev, "/api/heartbeat", Map.of("status", "blocked", "currentTask", "waiting for keys"));
        hub.post(lead, "/api/chat", Map.of("channel", "general", "text", "@dev-1 keys are in the vault"));
        hub.post(lead, "/api/leases", Map.of("resource", "soon.txt", "ttlSeconds", 60));

        TestHub.Response operator = hub.get(ops, "/api/digest?agentId=ops");
        assertThat(operator.status()).isEqualTo(200);
        JsonNode d = operator.json();
        assertThat(d.path("registered").asBoolean()).isFalse();
        assertThat(d.path("attention").path("blocked").toString()).contains("dev-1");
        assertThat(d.path("attention").path("expiringLeases").toString()).contains("soon.txt");
        assertThat(d.path("online").toString()).contains("dev-1", "lead-1");
        assertThat(d.path("activity").path("chatMessages").asInt()).isPositive();

        JsonNode mine = hub.get(dev, "/api/digest?since=1h").json();
        assertThat(mine.path("attention").path("mentions").toString()).contains("keys are in the vault");
        assertThat(hub.get(dev, "/api/digest?agentId=lead-1").status()).isEqualTo(403);

        TestHub.Response md = hub.get(ops, "/api/digest?agentId=ops&format=markdown");
        assertThat(md.raw().body()).contains("# Digest for ops (operator view)", "dev-1 is blocked");
        assertThat(hub.get(ops, "/api/digest?since=yesterday-ish").status()).isEqualTo(400);
    }
}
