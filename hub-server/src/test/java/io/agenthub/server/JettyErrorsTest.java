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
    void an_unknown_http_version_is_a_400_problem_not_a_505() throws Exception {
        // Found by FuzzTest: Jetty's 505 came out as an "internal_error" asking the client to retry.
        String reply = raw("GET /api/health HTTP/9.9", "");
        assertProblem(reply, 400, "bad_request");
        assertThat(reply).contains("HTTP/1.1 or HTTP/2");
    }

    @Test
    void other_methods_and_unknown_pages_outside_the_api_are_problems_too() throws Exception {
        // Found by FuzzTest: the dashboard's file servlet (everything outside /api, /mcp) answered in text/plain.
        assertProblem(raw("POST /mcp/x HTTP/1.1", ""), 405, "method_not_allowed");
        assertProblem(raw("GET /no-such-page.html HTTP/1.1", ""), 404, "no_route");
    }

    @Test
    void an_mcp_body_that_ends_before_its_content_length_is_a_400_not_a_500() throws Exception {
        // Found by FuzzTest: the MCP filter turned the early end of the body into a 500 with an error id.
        URI base = URI.create(hub.url());
        byte[] request = ("POST /mcp HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer " + agent
                        + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                        + "Content-Length: 500\r\nConnection: close\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Reply reply = RawHttp.exchange(base, request, true, 10_000);
        assertThat(reply).isNotNull();
        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.header("content-type")).startsWith("application/problem+json");
        assertThat(reply.text()).contains("\"code\":\"unreadable_body\"").doesNotContain("Exception", "\tat ");
    }

    @Test
    void the_hub_still_answers_after_the_malformed_requests() throws Exception {
        raw("POST /api/handoffs//accept HTTP/1.1", "");
        assertThat(hub.get(agent, "/api/health").status()).isEqualTo(200);
    }
}
