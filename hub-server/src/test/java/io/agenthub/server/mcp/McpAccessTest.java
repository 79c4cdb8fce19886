package io.agenthub.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.server.TestHub;
import io.agenthub.server.wire.JsonCodec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Who may reach /mcp: bearer tokens, Origin and Host allow-lists; and the size of the tool list. */
class McpAccessTest {
    private static final String LIST_TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}";

    @Test
    void a_missing_or_unknown_token_is_refused_with_a_401_problem() throws Exception {
        try (TestHub hub = new TestHub()) {
            TestHub.Response none = post(hub, null, Map.of());
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("Content-Type")).startsWith("application/problem+json");
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(none.json().path("detail").asString()).startsWith("Send 'Authorization: Bearer <token>'.");
            TestHub.Response bad = post(hub, "ahk_not-a-real-token", Map.of());
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.json().path("detail").asString()).contains("unknown or revoked");
            assertThatThrownBy(() -> McpClients.http(hub.url(), null)).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void a_refused_call_whose_body_comes_late_leaves_the_connection_usable() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("late");
            int port = hub.hub().port();
            String head = "POST /mcp HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + LIST_TOOLS.length() + "\r\nAuthorization: Bearer ";
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write((head + "ahk_not-a-real-token\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300);
                out.write((LIST_TOOLS + head + token + "\r\nConnection: close\r\n\r\n" + LIST_TOOLS)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String replies = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(replies).startsWith("HTTP/1.1 401");
                assertThat(replies.indexOf("HTTP/1.1 200")).as(replies).isPositive();
            }
        }
    }

    @Test
    void a_foreign_origin_gets_403_and_a_loopback_origin_passes() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("ori");
            TestHub.Response evil = post(hub, token, Map.of("Origin", "http://evil.example"));
            assertThat(evil.status()).isEqualTo(403);
            assertThat(evil.json().path("code").asString()).isEqualTo("origin_not_allowed");
            assertThat(evil.json().path("detail").asString()).contains("mcp-allowed-origins");
            TestHub.Response local = post(
                    hub, token, Map.of("Origin", "http://localhost:" + hub.hub().port()));
            assertThat(local.status()).isEqualTo(200);
            // Refused before authentication: no token needed to be told no.
            assertThat(post(hub, null, Map.of("Origin", "http://evil.example")).status())
                    .isEqualTo(403);
        }
    }

    @Test
    void an_unknown_host_gets_421_unless_configured() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("hoster");
            assertThat(rawStatus(
                            hub.hub().port(), "attacker.example:" + hub.hub().port(), token))
                    .isEqualTo(421);
            assertThat(rawStatus(hub.hub().port(), "localhost:" + hub.hub().port(), token))
                    .isEqualTo(200);
        }
        try (TestHub hub = new TestHub(
                Map.of("mcp-allowed-hosts", "hub.internal:*", "mcp-allowed-origins", "https://app.example"),
                java.time.Clock.systemUTC())) {
            String token = hub.agent("hoster");
            assertThat(rawStatus(hub.hub().port(), "hub.internal:8443", token)).isEqualTo(200);
            assertThat(rawStatus(hub.hub().port(), "127.0.0.1:" + hub.hub().port(), token))
                    .isEqualTo(421);
            assertThat(post(hub, token, Map.of("Origin", "https://app.example")).status())
                    .isEqualTo(421);
        }
    }

    @Test
    void the_whole_tools_list_answer_is_under_32_kb() throws Exception {
        try (TestHub hub = new TestHub()) {
            TestHub.Response r = post(hub, hub.agent("sizer"), Map.of());
            assertThat(r.status()).isEqualTo(200);
            int bytes = r.raw().body().getBytes(StandardCharsets.UTF_8).length;
            JsonNode tools = r.json().path("result").path("tools");
            System.out.println("tools/list: " + tools.size() + " tools, " + bytes + " bytes");
            for (JsonNode tool : tools) {
                System.out.println("  " + tool.path("name").asString() + " "
                        + JsonCodec.MAPPER.writeValueAsString(tool).length());
            }
            assertThat(tools.size()).isGreaterThanOrEqualTo(18);
            assertThat(bytes).isLessThan(32 * 1024);
        }
    }

    private static TestHub.Response post(TestHub hub, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(LIST_TOOLS));
        headers.forEach(b::header);
        return hub.send(token, b);
    }

    /** The status of a tools/list sent over a plain socket, so that the Host header can be anything. */
    private static int rawStatus(int port, String host, String token) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            byte[] body = LIST_TOOLS.getBytes(StandardCharsets.UTF_8);
            String head = "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
