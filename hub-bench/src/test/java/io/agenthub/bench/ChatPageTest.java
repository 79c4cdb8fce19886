package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A chat reader reads a page's size and next cursor in one streaming pass, as the hub's replies hold them. */
class ChatPageTest {
    private static ChatReadWorkload.Page page(String json, long cursor) {
        return ChatReadWorkload.Page.of(json.getBytes(StandardCharsets.UTF_8), cursor);
    }

    @Test
    void counts_the_messages_and_takes_the_next_cursor() {
        String reply = "{\"channel\":\"bench\",\"messages\":["
                + "{\"cursor\":7,\"text\":\"a\",\"meta\":{\"nextCursor\":99,\"tags\":[1,2]}},"
                + "{\"cursor\":8,\"text\":\"b [\\\"]\",\"mentions\":[]},"
                + "{\"cursor\":9,\"text\":\"c\"}],\"nextCursor\":9,\"more\":false}";
        assertThat(page(reply, 3)).isEqualTo(new ChatReadWorkload.Page(3, 9));
    }

    @Test
    void the_cursor_follows_the_reply_wherever_its_fields_are() {
        assertThat(page("{\"nextCursor\":12,\"messages\":[{},{}]}", 3)).isEqualTo(new ChatReadWorkload.Page(2, 12));
    }

    @Test
    void an_empty_page_or_a_missing_cursor_keeps_the_cursor() {
        assertThat(page("{\"messages\":[],\"nextCursor\":null}", 5)).isEqualTo(new ChatReadWorkload.Page(0, 5));
        assertThat(page("{\"messages\":[{}]}", 5)).isEqualTo(new ChatReadWorkload.Page(1, 5));
    }

    @Test
    void a_reply_that_is_not_json_or_ends_early_is_an_empty_page() {
        assertThat(page("<html>busy</html>", 4)).isEqualTo(new ChatReadWorkload.Page(0, 4));
        assertThat(page("{\"messages\":[{\"cursor\":1},{\"cur", 4)).isEqualTo(new ChatReadWorkload.Page(0, 4));
        assertThat(page("", 4)).isEqualTo(new ChatReadWorkload.Page(0, 4));
    }
}
