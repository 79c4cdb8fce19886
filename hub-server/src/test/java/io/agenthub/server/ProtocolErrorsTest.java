package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed input, wrong types, unknown routes and oversized bodies get 4xx problem+json, never a 500. */
class ProtocolErrorsTest {
    static TestHub hub;
    static String agent;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub(Map.of("max-body-bytes", "4096"), java.time.Clock.systemUTC());
        agent = hub.agent("prober");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static void assertProblem(TestHub.Response r, int status) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("detail").asString()).isNotBlank();
        assertThat(r.raw().body()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void malformed_json_is_a_400() {
        assertProblem(hub.postRaw(agent, "/api/leases", "{\"resource\": "), 400);
        assertProblem(hub.postRaw(agent, "/api/leases", "[1,2]"), 400);
        assertProblem(hub.postRaw(agent, "/api/leases", "null"), 400);
        assertProblem(hub.postRaw(agent, "/api/leases", ""), 400);
        // Found by FuzzTest: Jackson's sentence named the Java type the body was bound to and its feature flags.
        for (String body : new String[] {"{}{}", "{\"resource\":\"a\"} trailing", "[1]"}) {
            TestHub.Response r = hub.postRaw(agent, "/api/leases", body);
            assertProblem(r, 400);
            assertThat(r.raw().body()).as(body).doesNotContain("io.agenthub", "tools.jackson", "`", "Feature");
        }
    }

    @Test
    void fields_of_the_wrong_type_are_a_400_naming_the_field() {
        TestHub.Response r = hub.postRaw(agent, "/api/leases", "{\"resource\":\"a\",\"ttlSeconds\":\"soon\"}");
        assertProblem(r, 400);
        assertThat(r.json().path("detail").asString()).contains("ttlSeconds");
        assertProblem(hub.postRaw(agent, "/api/leases", "{\"resource\":{\"x\":1}}"), 400);
        assertProblem(hub.postRaw(agent, "/api/leases", "{\"resource\":\"a\",\"ttlSeconds\":-5}"), 400);
        assertProblem(hub.postRaw(agent, "/api/leases", "{\"resource\":\"a\",\"ttlSeconds\":999999999}"), 400);
        assertProblem(hub.postRaw(agent, "/api/leases", "{\"ttlSeconds\":5}"), 400);
    }

    @Test
    void query_parameters_come_from_the_query_string_only() throws Exception {
        // java.net.URI refuses a bad escape, so this request goes over a plain socket.
        URI base = URI.create(hub.url());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream()
                    .write(("GET /api/inbox?wait=%zz HTTP/1.1\r\nHost: " + base.getAuthority()
                                    + "\r\nAuthorization: Bearer " + agent + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 400").contains("application/problem+json", "query string");
        }
        assertThat(hub.get(agent, "/api/inbox?wait=0.1&limit=5").status()).isEqualTo(200);
        // A form-encoded body is not read as parameters: the route wants JSON and refuses it.
        TestHub.Response form = hub.send(
                agent,
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/leases?note=ignored"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("resource=from-form")));
        assertProblem(form, 400);
    }

    @Test
    void a_request_refused_before_its_body_arrives_leaves_the_connection_usable() throws Exception {
        // Clients may send the body after the headers. A request refused before its body is read (a bad token here)
        // must not end with the connection closed behind a reply that promised to keep it: the client would send its
        // next request into a dead connection.
        URI base = URI.create(hub.url());
        String body = "{\"resource\":\"late.txt\"}";
        String post = "POST /api/leases HTTP/1.1\r\nHost: " + base.getAuthority()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nAuthorization: Bearer ";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // An accepted request, then a refused one whose body follows its headers later, then a last request.
            out.write((post + agent + "\r\n\r\n" + body + post + "wrong\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            out.write((body + "GET /api/health HTTP/1.1\r\nHost: " + base.getAuthority()
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String replies = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int refused = replies.indexOf("HTTP/1.1 401");
            int last = replies.indexOf("HTTP/1.1 200");
            assertThat(replies).as(replies).startsWith("HTTP/1.1 201");
            assertThat(refused).as(replies).isPositive();
            assertThat(last).as(replies).isGreaterThan(refused);
            assertThat(replies.substring(0, last).toLowerCase(Locale.ROOT))
                    .as("no reply before the last one closes the connection")
                    .doesNotContain("connection: close");
        }
        // A body over the limit is not read: the 413 says that the connection closes.
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST /api/leases HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer "
                                    + agent + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close");
        }
    }

    @Test
    void unknown_routes_are_404_and_wrong_methods_405_with_allow() {
        assertProblem(hub.get(agent, "/api/nothing-here"), 404);
        TestHub.Response wrong = hub.delete(agent, "/api/leases");
        assertProblem(wrong, 405);
        assertThat(wrong.header("Allow")).contains("GET", "POST");
    }

    @Test
    void oversized_bodies_are_a_413() {
        String big = "{\"resource\":\"" + "x".repeat(5000) + "\"}";
        assertProblem(hub.postRaw(agent, "/api/leases", big), 413);
        String longName = "{\"resource\":\"" + "y".repeat(600) + "\"}";
        assertProblem(hub.postRaw(agent, "/api/leases", longName), 413);
    }

    @Test
    void health_needs_no_token_and_reports_the_store() {
        TestHub.Response health = hub.get(null, "/api/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("ok");
        assertThat(health.json().path("store").asString()).isEqualTo("sqlite");
        TestHub.Response head = hub.send(
                null,
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/health"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.status()).isEqualTo(200);
    }
}
