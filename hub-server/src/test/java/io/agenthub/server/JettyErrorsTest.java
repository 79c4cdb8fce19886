package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Errors that Jetty raises before a request reaches the hub's router or MCP endpoint are problem+json too: no HTML
 * page, no stack trace. Sent over a plain socket, because java.net.http refuses to send most of these requests.
 */
class JettyErrorsTest {
    static TestHub hub;
    static String agent;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        agent = hub.agent("prober");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Sends a raw request (request line and extra header lines) and returns the whole reply. */
    private static String raw(String requestLine, String headers) throws Exception {
        URI base = URI.create(hub.url());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer " + agent + "\r\n"
                            + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertProblem(String reply, int status, String code) {
        assertThat(reply).as(reply).startsWith("HTTP/1.1 " + status);
        String head = reply.substring(0, reply.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
        assertThat(head).as(reply).contains("content-type: application/problem+json");
        assertThat(body)
                .as(reply)
                .startsWith("{")
                .contains("\"status\":" + status, "\"code\":\"" + code + "\"", "\"detail\":\"")
                .doesNotContainIgnoringCase("<html")
                .doesNotContain("Exception", "\tat ", "org.eclipse");
    }

    @Test
    void an_empty_path_segment_under_api_and_mcp_is_a_problem_not_an_html_page() throws Exception {
        assertProblem(raw("POST /api/handoffs//accept HTTP/1.1", ""), 400, "bad_request");
        assertProblem(raw("POST /mcp//x HTTP/1.1", ""), 400, "bad_request");
    }

    @Test
    void a_bad_escape_or_a_path_outside_every_route_is_a_problem() throws Exception {
        assertProblem(raw("GET /api/%zz HTTP/1.1", ""), 400, "bad_request");
        assertProblem(raw("GET /mcp/% HTTP/1.1", ""), 400, "bad_request");
        assertProblem(raw("GET /api/no/such/route HTTP/1.1", ""), 404, "no_route");
        // A path that climbs out of /api is the dashboard's (served at /): a plain 404, still no page of Jetty's.
        String outside = raw("GET /api/a/../../elsewhere HTTP/1.1", "");
        assertThat(outside)
                .startsWith("HTTP/1.1 404")
                .doesNotContainIgnoringCase("<html")
                .doesNotContain("Exception");
    }

    @Test
    void a_request_line_or_headers_too_large_are_problems() throws Exception {
        assertProblem(raw("GET /api/" + "a".repeat(20_000) + " HTTP/1.1", ""), 414, "uri_too_long");
        assertProblem(
                raw("GET /api/health HTTP/1.1", "X-Big: " + "b".repeat(20_000) + "\r\n"), 431, "headers_too_large");
    }

    @Test
    void the_hub_still_answers_after_the_malformed_requests() throws Exception {
        raw("POST /api/handoffs//accept HTTP/1.1", "");
        assertThat(hub.get(agent, "/api/health").status()).isEqualTo(200);
    }
}
