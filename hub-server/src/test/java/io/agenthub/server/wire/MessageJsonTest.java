package io.agenthub.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.message.Message;
import io.agenthub.message.MessageService;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MessageJsonTest {
    private static final JsonMapper PLAIN = JsonCodec.builder().build();
    private static final Instant AT = Instant.parse("2026-12-07T22:00:00.123456Z");

    private static Message chat(long cursor, String text) {
        return new Message(
                cursor, Message.idOf(cursor), Message.Kind.CHAT, "ops", "agent-1", null, text, null, List.of(), AT);
    }

    @Test
    void a_message_is_written_byte_for_byte_as_the_plain_mapper_writes_it() {
        List<Message> messages = List.of(
                chat(1, "hello"),
                chat(2, "quotes \" and \\ backslashes, a tab\t, a line\nbreak, \u0001 and \u2028"),
                chat(3, "naïve 日本語 😀"),
                new Message(4, "m4", Message.Kind.DM, null, "agent-2", "agent-3", "psst", "m1", List.of("agent-3"), AT),
                new Message(5, "m5", Message.Kind.NOTICE, "", "hub", "agent-1", "", "", null, Instant.EPOCH));
        MessageService.Page page = new MessageService.Page(messages, 5, 1L);
        for (int round = 0; round < 2; round++) { // the second round is served from the cache
            assertThat(new String(JsonCodec.MAPPER.writeValueAsBytes(page), StandardCharsets.UTF_8))
                    .isEqualTo(new String(PLAIN.writeValueAsBytes(page), StandardCharsets.UTF_8));
            assertThat(JsonCodec.MAPPER.writeValueAsString(page)).isEqualTo(PLAIN.writeValueAsString(page));
        }
    }

    @Test
    void a_different_message_under_a_cached_cursor_is_written_as_itself() {
        assertThat(JsonCodec.MAPPER.writeValueAsString(chat(7, "first"))).contains("\"first\"");
        // A store emptied and filled again hands out cursor 7 once more, for another message.
        assertThat(JsonCodec.MAPPER.writeValueAsString(chat(7, "second")))
                .contains("\"second\"")
                .doesNotContain("first");
    }

    @Test
    void only_short_messages_are_kept_so_the_table_stays_small_whatever_agents_post() {
        MessageJson json = new MessageJson(PLAIN);
        Message shortOne = chat(11, "short");
        Message longOne = chat(12, "\u65e5".repeat(MessageJson.MAX_CHARS));
        assertThat(json.json(shortOne)).isSameAs(json.json(shortOne));
        assertThat(json.json(longOne)).isNotSameAs(json.json(longOne));
        assertThat(json.json(longOne).getValue()).isEqualTo(PLAIN.writeValueAsString(longOne));
        assertThat(JsonCodec.MAPPER.writeValueAsString(longOne)).isEqualTo(PLAIN.writeValueAsString(longOne));
    }

    @Test
    void trees_and_pretty_documents_get_the_fields_not_a_raw_value() {
        Message m = chat(9, "tree");
        @SuppressWarnings("unchecked")
        Map<String, Object> asMap = JsonCodec.MAPPER.convertValue(m, Map.class);
        assertThat(asMap).isEqualTo(PLAIN.convertValue(m, Map.class)).containsEntry("text", "tree");
        assertThat(JsonCodec.MAPPER.valueToTree(m).get("author").asString()).isEqualTo("agent-1");
        String pretty = JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(List.of(m));
        assertThat(pretty)
                .isEqualTo(PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(List.of(m)))
                .contains("\n  \"text\" : \"tree\"");
    }

    @Test
    void threads_filling_the_same_slots_each_write_their_own_messages() throws Exception {
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                results.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < 20_000; i++) {
                        // Every thread uses the same cursors (and so the same slots) with its own text.
                        long cursor = i % 64 + (long) (i % 3) * MessageJson.SLOTS;
                        Message m = chat(cursor, "thread " + me + " message " + i);
                        String json = JsonCodec.MAPPER.writeValueAsString(m);
                        if (!json.equals(PLAIN.writeValueAsString(m))) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isZero();
            }
        }
    }
}
