package io.agenthub.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.agenthub.client.EventStream;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.MessageFeed;
import io.agenthub.client.Messages;
import io.agenthub.server.TestHub;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Long-poll feeds, the event stream across a hub restart, and fail-over between URLs. */
@Timeout(60)
class HubClientStreamsTest {

    @Test
    void a_chat_feed_wakes_on_new_messages_and_a_new_feed_resumes_from_its_cursor() throws Exception {
        try (TestHub hub = new TestHub()) {
            HubClient alice = client(hub.url(), hub.agent("alice"));
            HubClient bob = client(hub.url(), hub.agent("bob"));
            alice.messages().post("dev", "before the feed");
            long cursor;
            try (MessageFeed feed = bob.messages().chatFeed("dev", null, Duration.ofSeconds(5))) {
                CompletableFuture.runAsync(() -> {
                    sleep(300);
                    alice.messages().post("dev", "one");
                });
                assertThat(feed.next().text()).as("a long-poll wakes for it").isEqualTo("one");
                alice.messages().post("dev", "two");
                alice.messages().post("dev", "three");
                assertThat(feed.next().text()).isEqualTo("two");
                cursor = feed.cursor();
            }
            try (MessageFeed resumed = bob.messages().chatFeed("dev", cursor, Duration.ofSeconds(5))) {
                assertThat(resumed.next().text()).isEqualTo("three");
            }
            alice.messages().dm("bob", "dm one");
            alice.messages().dm("bob", "dm two");
            try (MessageFeed inbox = bob.messages().inboxFeed(null, Duration.ofSeconds(5))) {
                assertThat(inbox.next().text()).isEqualTo("dm one");
                Messages.Message second = inbox.next();
                assertThat(second.text()).isEqualTo("dm two");
                bob.messages().ack(second.cursor());
            }
            assertThat(bob.messages().inbox(null, null, null).messages()).isEmpty();
        }
    }

    @Test
    void the_event_stream_resumes_with_last_event_id_after_the_hub_drops_it() throws Exception {
        int port = freePort();
        try (TestHub hub = new TestHub(Map.of("port", Integer.toString(port)), java.time.Clock.systemUTC())) {
            HubClient alice = client(hub.url(), hub.agent("alice"));
            HubClient bob = client(hub.url(), hub.agent("bob"));
            try (EventStream events = bob.messages().events(null)) {
                alice.messages().dm("bob", "first");
                assertThat(events.next().text()).isEqualTo("first");
                hub.restart();
                assertThat(hub.url()).endsWith(":" + port);
                // Sent before the stream reconnects: only Last-Event-ID brings it back.
                alice.messages().dm("bob", "while away");
                assertThat(events.next().text()).isEqualTo("while away");
                assertThat(events.connects()).isEqualTo(2);
            }
        }
    }

    @Test
    void calls_fail_over_from_a_dead_url_and_a_503_to_a_live_hub() throws Exception {
        HttpServer unavailable = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        unavailable.createContext("/", ex -> {
            byte[] body = "{\"status\":503,\"code\":\"unavailable\",\"detail\":\"Shutting down; retry shortly.\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.getResponseHeaders().add("Retry-After", "7");
            ex.sendResponseHeaders(503, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        unavailable.start();
        String down = "http://127.0.0.1:" + freePort();
        String busy = "http://127.0.0.1:" + unavailable.getAddress().getPort();
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("alice");
            HubClient client = HubClient.builder()
                    .urls(down, busy, hub.url())
                    .token(token)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            assertThat(client.agents().whoami().id()).isEqualTo("alice");
            assertThat(client.messages().post("ops", "posted through fail-over").author())
                    .isEqualTo("alice");

            assertThatThrownBy(() -> client(down, token).agents().whoami())
                    .isInstanceOfSatisfying(
                            HubProblem.Unreachable.class,
                            u -> assertThat(u.detail()).contains("No hub answered"));
            assertThatThrownBy(() -> client(busy, token).agents().whoami())
                    .isInstanceOfSatisfying(HubProblem.Unavailable.class, u -> {
                        assertThat(u.retryAfter()).contains(Duration.ofSeconds(7));
                        assertThat(u.detail()).isEqualTo("Shutting down; retry shortly.");
                    });
        } finally {
            unavailable.stop(0);
        }
    }

    @Test
    void a_bad_token_is_unauthenticated() throws Exception {
        try (TestHub hub = new TestHub()) {
            assertThatThrownBy(() -> client(hub.url(), "not-a-token").agents().whoami())
                    .isInstanceOfSatisfying(HubProblem.Unauthenticated.class, p -> {
                        assertThat(p.status()).isEqualTo(401);
                        assertThat(p.detail()).isNotBlank();
                    });
        }
    }

    private static HubClient client(String url, String token) {
        return HubClient.builder()
                .urls(url)
                .token(token)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
