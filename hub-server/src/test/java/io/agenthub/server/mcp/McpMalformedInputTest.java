package io.agenthub.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No body sent to /mcp gets a 5xx, and no answer carries a stack trace or an exception's name. */
class McpMalformedInputTest {
    static TestHub hub;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        // Thousands of requests from one agent and from no agent: the rate limits are RateLimitApiTest's subject.
        hub = new TestHub(
                Map.of(
                        "rate-limit-mcp",
                        "0",
                        "rate-limit-anonymous",
                        "0",
                        "rate-limit-reads",
                        "0",
                        "rate-limit-writes",
                        "0"),
                java.time.Clock.systemUTC());
        token = hub.agent("prober");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static TestHub.Response post(String contentType, String body) {
        return hub.send(
                token,
                HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                        .header("Content-Type", contentType)
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static void assertClean(TestHub.Response r, String sent) {
        String body = r.raw().body();
        assertThat(r.status()).as(sent + " -> " + body).isLessThan(500);
        // A stack trace shows as "\tat pkg.Class.method(File.java:12)" lines or "SomeException: message"; tools/list
        // legitimately names a stackTrace argument.
        assertThat(body).as(sent).doesNotContain("at io.", "Exception:", ".java:", "\tat ");
    }

    @Test
    void a_null_body_is_a_json_rpc_invalid_request_not_a_500() {
        TestHub.Response r = post("application/json", "null");
        assertClean(r, "null");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(r.json().path("error").path("message").asString()).contains("one JSON-RPC 2.0 object");
    }

    @Test
    void a_parse_error_names_no_java_type_or_library() {
        // Found by FuzzTest: "bound as `tools.jackson.databind.JsonNode`" and the feature flag reached the client.
        TestHub.Response r = post("application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}{}");
        assertClean(r, "two objects");
        assertThat(r.json().path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(r.raw().body()).doesNotContain("tools.jackson", "JsonNode", "DeserializationFeature", "`");
    }

    @Test
    void a_tools_call_without_params_is_an_invalid_params_error_for_that_request() {
        TestHub.Response r = post("application/json", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}");
        assertClean(r, "tools/call");
        assertThat(r.json().path("id").asInt()).isEqualTo(7);
        assertThat(r.json().path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(r.json().path("error").path("message").asString()).contains("tools/call needs params");
    }

    @Test
    void an_unknown_charset_is_a_415_problem() {
        TestHub.Response r =
                post("application/json; charset=bogus", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertClean(r, "charset=bogus");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("detail").asString()).contains("UTF-8");
    }

    @Test
    void the_rest_api_reads_json_whatever_charset_is_declared() {
        TestHub.Response r = hub.send(
                token,
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/leases"))
                        .header("Content-Type", "application/json; charset=bogus")
                        .POST(HttpRequest.BodyPublishers.ofString("null")));
        assertClean(r, "/api charset=bogus");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void a_body_in_another_known_charset_is_read_in_that_charset() {
        TestHub.Response r =
                post("application/json; charset=UTF-16", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        // java.net.http sends the string in UTF-8 whatever the header says: the hub reads UTF-16 and finds no JSON.
        assertClean(r, "UTF-16");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void the_sdk_s_own_refusals_carry_no_stack_trace() {
        TestHub.Response wrongType = post("text/plain", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertClean(wrongType, "text/plain");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.json().path("error").path("message").asString()).contains("application/json");
        TestHub.Response noAccept = hub.send(
                token,
                HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
        assertClean(noAccept, "no Accept");
    }

    @Test
    void other_methods_get_no_5xx_and_no_stack_trace() {
        for (String method : new String[] {"GET", "DELETE", "PUT", "PATCH"}) {
            TestHub.Response r = hub.send(
                    token,
                    HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                            .header("Accept", "application/json, text/event-stream")
                            .method(method, HttpRequest.BodyPublishers.ofString("{}")));
            assertClean(r, method);
        }
    }

    @Test
    void a_raw_request_with_a_bogus_charset_gets_no_stack_trace() throws Exception {
        URI base = URI.create(hub.url());
        String body = "null";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json;charset=x\u00e9\r\nAccept: application/json,"
                            + " text/event-stream\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                            + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 4").doesNotContain("Exception", "at io.");
        }
    }

    @Test
    void generated_malformed_messages_never_get_a_5xx_or_a_stack_trace() {
        List<String> jsonrpc = List.of("", "\"2.0\"", "\"1.0\"", "2", "null", "[]", "{}");
        List<String> ids = List.of("", "1", "\"a\"", "null", "1.5", "[]", "{}", "true", "99999999999999999999999");
        List<String> methods = List.of(
                "",
                "\"tools/call\"",
                "\"tools/list\"",
                "\"resources/read\"",
                "\"resources/list\"",
                "\"prompts/get\"",
                "\"initialize\"",
                "\"ping\"",
                "\"logging/setLevel\"",
                "5",
                "null",
                "\"\"",
                "{\"a\":null}");
        List<String> params = List.of(
                "",
                "null",
                "{}",
                "[]",
                "5",
                "\"s\"",
                "{\"name\":null}",
                "{\"name\":5}",
                "{\"name\":\"lease_acquire\",\"arguments\":null}",
                "{\"name\":\"lease_acquire\",\"arguments\":[1]}",
                "{\"name\":\"lease_acquire\",\"arguments\":{\"resource\":null}}",
                "{\"name\":\"lease_acquire\",\"arguments\":{\"resource\":{\"a\":[null]}}}",
                "{\"name\":\"chat_send\",\"arguments\":{\"text\":[null,{\"x\":null}]}}",
                "{\"name\":\"hub_start\",\"arguments\":{\"x\":[null]}}",
                "{\"name\":\"lease_acquire\",\"arguments\":{\"resource\":\"f\",\"ttlSeconds\":1e400}}",
                "{\"uri\":null}",
                "{\"uri\":5}",
                "{\"uri\":\"hub://nowhere\"}",
                "{\"name\":\"x\",\"arguments\":{\"a\":5}}",
                "{\"protocolVersion\":5}",
                "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":[],\"clientInfo\":null}",
                "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":5},\"clientInfo\":{\"name\":[]}}",
                "{\"cursor\":5}",
                "{\"cursor\":\"zz\"}",
                "{\"level\":7}",
                "{\"_meta\":null}",
                "{\"_meta\":{\"progressToken\":[]}}");
        List<String> bodies = new ArrayList<>();
        // Every method with every params shape, in a valid envelope.
        for (String m : methods) {
            for (String p : params) {
                bodies.add(message("\"2.0\"", "1", m, p));
            }
        }
        // And a seeded sample of broken envelopes.
        Random random = new Random(18);
        for (int i = 0; i < 250; i++) {
            bodies.add(message(pick(random, jsonrpc), pick(random, ids), pick(random, methods), pick(random, params)));
        }
        bodies.addAll(List.of(
                "",
                "[",
                "[]",
                "[null]",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
                "0",
                "true",
                "\"\\u0000\"",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"a\":" + "[".repeat(200)
                        + "]".repeat(200) + "}}"));
        for (String body : bodies) {
            assertClean(post("application/json", body), body);
        }
        assertThat(bodies).hasSizeGreaterThan(500);
        // The endpoint still works after all that.
        TestHub.Response ping = post("application/json", "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.json().path("id").asInt()).isEqualTo(9);
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String message(String jsonrpc, String id, String method, String params) {
        List<String> fields = new ArrayList<>();
        if (!jsonrpc.isEmpty()) {
            fields.add("\"jsonrpc\":" + jsonrpc);
        }
        if (!id.isEmpty()) {
            fields.add("\"id\":" + id);
        }
        if (!method.isEmpty()) {
            fields.add("\"method\":" + method);
        }
        if (!params.isEmpty()) {
            fields.add("\"params\":" + params);
        }
        return "{" + String.join(",", fields) + "}";
    }
}
