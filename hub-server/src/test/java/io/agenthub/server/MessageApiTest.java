package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Chat, direct messages, inboxes, long-polls and the event stream over HTTP against a real hub. */
class MessageApiTest {
    static TestHub hub;
    static String alice;
    static String bob;
    static String carol;
    static String viewer;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub(Map.of("message-max-chars", "200"), java.time.Clock.systemUTC());
        alice = hub.agent("alice");
        bob = hub.agent("bob");
        carol = hub.agent("carol");
        viewer = hub.viewer("screen");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static JsonNode post(String token, String channel, String text) {
        TestHub.Response r = hub.post(token, "/api/chat", Map.of("channel", channel, "text", text));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json();
    }

    private static JsonNode dm(String token, String to, String text) {
        TestHub.Response r = hub.post(token, "/api/dm", Map.of("to", to, "text", text));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("text").asString()));
        return out;
    }

    private static CompletableFuture<TestHub.Response> inBackground(Supplier<TestHub.Response> call) {
        return CompletableFuture.supplyAsync(call, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void a_post_is_created_and_read_back_page_by_page() {
        JsonNode first = post(alice, "build", "compiling");
        assertThat(first.path("id").asString())
                .isEqualTo("m" + first.path("cursor").asLong());
        assertThat(first.path("channel").asString()).isEqualTo("build");
        assertThat(first.path("author").asString()).isEqualTo("alice");
        assertThat(first.path("kind").asString()).isEqualTo("chat");
        assertThat(first.path("createdAt").asString()).endsWith("Z");
        post(bob, "build", "green");
        JsonNode third = hub.post(
                        carol,
                        "/api/chat",
                        Map.of(
                                "channel",
                                "build",
                                "text",
                                "thanks @bob",
                                "replyTo",
                                first.path("id").asString()))
                .json();
        assertThat(third.path("replyTo").asString()).isEqualTo(first.path("id").asString());
        assertThat(third.path("mentions").get(0).asString()).isEqualTo("bob");

        TestHub.Response page = hub.get(viewer, "/api/chat?channel=build&after=0&limit=2");
        assertThat(page.status()).isEqualTo(200);
        assertThat(texts(page.json().path("messages"))).containsExactly("compiling", "green");
        long next = page.json().path("nextCursor").asLong();
        TestHub.Response rest = hub.get(viewer, "/api/chat?channel=build&after=" + next);
        assertThat(texts(rest.json().path("messages"))).containsExactly("thanks @bob");
        TestHub.Response none = hub.get(
                viewer, "/api/chat?channel=build&after=" + third.path("cursor").asLong());
        assertThat(none.json().path("messages").size()).isZero();
        assertThat(none.json().path("nextCursor").asLong())
                .isEqualTo(third.path("cursor").asLong());

        List<String> channels = new ArrayList<>();
        hub.get(viewer, "/api/channels").json().path("channels").forEach(c -> channels.add(c.asString()));
        assertThat(channels).contains("build", "general").isSorted();
    }

    @Test
    void a_read_without_a_cursor_returns_the_newest_page_and_says_how_to_page_back() {
        for (int i = 1; i <= 5; i++) {
            post(alice, "history", "h" + i);
        }
        TestHub.Response newest = hub.get(viewer, "/api/chat?channel=history&limit=2");
        assertThat(newest.status()).isEqualTo(200);
        assertThat(texts(newest.json().path("messages"))).as("oldest first").containsExactly("h4", "h5");
        long prev = newest.json().path("prevCursor").asLong();
        TestHub.Response older = hub.get(viewer, "/api/chat?channel=history&limit=2&before=" + prev);
        assertThat(texts(older.json().path("messages"))).containsExactly("h2", "h3");
        TestHub.Response oldest = hub.get(
                viewer,
                "/api/chat?channel=history&limit=2&before="
                        + older.json().path("prevCursor").asLong());
        assertThat(texts(oldest.json().path("messages"))).containsExactly("h1");
        assertThat(oldest.json().path("prevCursor").isNull())
                .as("nothing older")
                .isTrue();

        long next = newest.json().path("nextCursor").asLong();
        assertThat(hub.get(viewer, "/api/chat?channel=history&after=" + next)
                        .json()
                        .path("messages")
                        .size())
                .as("following nextCursor returns only what comes next")
                .isZero();
        post(bob, "history", "h6");
        assertThat(texts(hub.get(viewer, "/api/chat?channel=history&after=" + next)
                        .json()
                        .path("messages")))
                .containsExactly("h6");
        assertThat(hub.get(viewer, "/api/chat?channel=history&after=1&before=9").status())
                .isEqualTo(400);
    }

    @Test
    void a_read_without_a_channel_reads_general() {
        post(alice, "general", "hello general");
        TestHub.Response r = hub.get(viewer, "/api/chat");
        assertThat(r.status()).isEqualTo(200);
        assertThat(texts(r.json().path("messages"))).contains("hello general");
        assertThat(r.json().path("messages").get(0).path("channel").asString()).isEqualTo("general");
    }

    @Test
    void an_inbox_read_without_a_cursor_returns_what_is_not_acknowledged() {
        String dora = hub.agent("dora");
        long first = dm(alice, "dora", "old news").path("cursor").asLong();
        hub.get(dora, "/api/inbox?after=" + first);
        dm(alice, "dora", "new news");
        TestHub.Response r = hub.get(dora, "/api/inbox");
        assertThat(texts(r.json().path("messages"))).containsExactly("new news");
    }

    @Test
    void a_long_poll_is_answered_as_soon_as_a_message_arrives() throws Exception {
        long after = post(alice, "deploy", "starting").path("cursor").asLong();
        CompletableFuture<TestHub.Response> waiting =
                inBackground(() -> hub.get(bob, "/api/chat?channel=deploy&wait=10&after=" + after));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        long posted = System.nanoTime();
        post(alice, "deploy", "done");
        TestHub.Response answered = waiting.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofSeconds(1));
        assertThat(texts(answered.json().path("messages"))).containsExactly("done");
    }

    @Test
    void a_long_poll_with_nothing_new_returns_empty_with_the_same_cursor() {
        long after = post(alice, "quiet", "anyone?").path("cursor").asLong();
        long start = System.nanoTime();
        TestHub.Response r = hub.get(bob, "/api/inbox?wait=0.3&after=" + after);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("messages").size()).isZero();
        assertThat(r.json().path("nextCursor").asLong()).isEqualTo(after);
    }

    @Test
    void direct_messages_and_mentions_reach_only_their_inboxes() {
        long after = post(alice, "general", "baseline").path("cursor").asLong();
        JsonNode toBob = dm(alice, "bob", "can you review #12?");
        assertThat(toBob.path("kind").asString()).isEqualTo("dm");
        assertThat(toBob.path("to").asString()).isEqualTo("bob");
        post(alice, "general", "@carol and @bob: standup");
        dm(TestHub.ADMIN, "carol", "from the operator");

        JsonNode bobs = hub.get(bob, "/api/inbox?after=" + after).json().path("messages");
        assertThat(texts(bobs)).containsExactly("can you review #12?", "@carol and @bob: standup");
        JsonNode carols = hub.get(carol, "/api/inbox?after=" + after).json().path("messages");
        assertThat(texts(carols)).containsExactly("@carol and @bob: standup", "from the operator");
        assertThat(carols.get(1).path("author").asString()).isEqualTo("admin");
        assertThat(hub.get(alice, "/api/inbox?after=" + after)
                        .json()
                        .path("messages")
                        .size())
                .isZero();
    }

    @Test
    void bad_requests_get_problem_details() {
        assertProblem(hub.post(viewer, "/api/chat", Map.of("channel", "general", "text", "hi")), 403);
        assertProblem(hub.post(viewer, "/api/dm", Map.of("to", "bob", "text", "hi")), 403);
        assertProblem(hub.post(alice, "/api/dm", Map.of("to", "nobody", "text", "hi")), 404);
        assertProblem(hub.post(alice, "/api/chat", Map.of("channel", "Bad Name", "text", "hi")), 400);
        assertProblem(hub.post(alice, "/api/chat", Map.of("text", "no channel")), 400);
        assertProblem(hub.post(alice, "/api/chat", Map.of("channel", "general", "text", "x".repeat(201))), 413);
        assertProblem(
                hub.post(alice, "/api/chat", Map.of("channel", "general", "text", "re", "replyTo", "m999999")), 404);
        assertProblem(hub.get(alice, "/api/chat?channel=general&limit=501"), 400);
        assertProblem(hub.get(alice, "/api/chat?channel=general&limit=0"), 400);
        assertProblem(hub.get(alice, "/api/chat?channel=general&after=-1"), 400);
        assertProblem(hub.get(alice, "/api/chat?channel=general&wait=31"), 400);
        assertProblem(hub.get(alice, "/api/inbox?wait=soon"), 400);
        // Found by the fuzz suite: scaling such a number to milliseconds kept a CPU busy for minutes.
        long started = System.nanoTime();
        assertProblem(hub.get(alice, "/api/chat?channel=general&wait=1e9999999"), 400);
        assertProblem(hub.get(alice, "/api/inbox?wait=1e-9999999"), 400);
        assertThat(System.nanoTime() - started).as("refused at once").isLessThan(5_000_000_000L);
        assertProblem(hub.get(null, "/api/inbox"), 401);
        assertProblem(hub.get(alice, "/api/events?after=-5"), 400);
    }

    private static void assertProblem(TestHub.Response r, int status) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("detail").asString()).isNotBlank();
    }

    @Test
    void the_event_stream_delivers_an_agents_chat_and_inbox_as_they_happen() throws Exception {
        try (SseClient stream = SseClient.open(hub, bob, "/api/events", null)) {
            assertThat(stream.response().statusCode()).isEqualTo(200);
            assertThat(stream.response().headers().firstValue("Content-Type").orElse(""))
                    .startsWith("text/event-stream");
            JsonNode chat = post(alice, "events", "hello all");
            dm(alice, "carol", "not for bob");
            JsonNode toBob = dm(alice, "bob", "for bob");

            SseClient.Event first = stream.next(Duration.ofSeconds(5));
            assertThat(first.name()).isEqualTo("message");
            assertThat(first.id()).isEqualTo(Long.toString(chat.path("cursor").asLong()));
            assertThat(first.data().path("text").asString()).isEqualTo("hello all");
            SseClient.Event second = stream.next(Duration.ofSeconds(5));
            assertThat(second.id()).isEqualTo(Long.toString(toBob.path("cursor").asLong()));
            assertThat(second.data().path("text").asString()).isEqualTo("for bob");
            assertThat(stream.next(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void the_event_stream_resumes_after_last_event_id_or_the_after_parameter() throws Exception {
        JsonNode one = post(alice, "resume", "one");
        post(alice, "resume", "two");
        post(alice, "resume", "three");
        String oneCursor = Long.toString(one.path("cursor").asLong());
        try (SseClient resumed = SseClient.open(hub, bob, "/api/events?after=0", oneCursor)) {
            assertThat(nextTextIn(resumed, "resume")).isEqualTo("two");
            assertThat(nextTextIn(resumed, "resume")).isEqualTo("three");
        }
        try (SseClient after = SseClient.open(hub, carol, "/api/events?after=" + oneCursor, null)) {
            assertThat(nextTextIn(after, "resume")).isEqualTo("two");
        }
    }

    private static String nextTextIn(SseClient stream, String channel) throws InterruptedException {
        while (true) {
            SseClient.Event e = stream.next(Duration.ofSeconds(5));
            assertThat(e).as("an event in " + channel).isNotNull();
            if (e.data().path("channel").asString().equals(channel)) {
                return e.data().path("text").asString();
            }
        }
    }

    @Test
    void viewers_stream_chat_without_direct_messages_and_admins_stream_everything() throws Exception {
        try (SseClient screen = SseClient.open(hub, viewer, "/api/events", null);
                SseClient operator = SseClient.open(hub, TestHub.ADMIN, "/api/events", null)) {
            dm(alice, "bob", "private");
            post(alice, "lobby", "public");
            assertThat(screen.next(Duration.ofSeconds(5)).data().path("text").asString())
                    .isEqualTo("public");
            assertThat(operator.next(Duration.ofSeconds(5)).data().path("text").asString())
                    .isEqualTo("private");
            assertThat(operator.next(Duration.ofSeconds(5)).data().path("text").asString())
                    .isEqualTo("public");
        }
    }

    @Test
    void a_stream_whose_client_went_away_is_closed_on_the_server() throws Exception {
        try (TestHub own = new TestHub()) {
            String token = own.agent("leaver");
            SseClient stream = SseClient.open(own, token, "/api/events", null);
            awaitOpenStreams(own, 1);
            stream.close();
            // The server learns of the departure when it next writes: a message here, or a heartbeat at the latest.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (own.hub().openEventStreams() > 0 && System.nanoTime() < deadline) {
                own.post(token, "/api/chat", Map.of("channel", "general", "text", "anyone there?"));
                Thread.sleep(100);
            }
            assertThat(own.hub().openEventStreams()).isZero();
        }
    }

    private static void awaitOpenStreams(TestHub on, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (on.hub().openEventStreams() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(on.hub().openEventStreams()).isEqualTo(expected);
    }

    @Test
    void a_quiet_stream_sends_heartbeat_comments() throws Exception {
        // A stream never waits longer than long-poll-max, so heartbeats come every second here instead of every 15.
        try (TestHub own = new TestHub(Map.of("long-poll-max", "1s"), java.time.Clock.systemUTC());
                SseClient stream = SseClient.open(own, own.agent("listener"), "/api/events", null)) {
            Thread.sleep(2_500);
            assertThat(stream.comments()).isBetween(1, 3);
            assertThat(stream.next(Duration.ZERO)).isNull();
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void closing_the_hub_ends_open_streams_promptly() throws Exception {
        TestHub own = new TestHub();
        SseClient stream = SseClient.open(own, own.agent("watcher"), "/api/events", null);
        long start = System.nanoTime();
        own.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!stream.ended() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stream.ended()).isTrue();
        assertThat(own.hub().openEventStreams()).isZero();
        stream.close();
    }
}
