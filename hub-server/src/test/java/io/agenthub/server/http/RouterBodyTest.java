package io.agenthub.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the router does with a request body after its handler: nothing when the handler read all of it (one more read
 * at its end costs as much as the rest of a lease request), and drains it when the handler left some unread, so that
 * the connection carries the next request either way.
 */
class RouterBodyTest {
    /**
     * Reads of the request body that asked for bytes after the declared length was read (the router's settling); the
     * zero-length read that ends {@code InputStream.readNBytes} is not one.
     */
    static final AtomicInteger READS_PAST_END = new AtomicInteger();

    static Server server;
    static int port;

    record Body(String text) {}

    @BeforeAll
    static void start() throws Exception {
        Router router = new Router(
                        bearer -> {
                            if (!"good".equals(bearer)) {
                                throw new HubException.Unauthenticated("bad token");
                            }
                            return new Principal("a1", Role.AGENT);
                        },
                        1024)
                .post(
                        "/api/echo",
                        Access.WRITE,
                        call -> Reply.ok(Map.of("text", call.body(Body.class).text())))
                .post("/api/refuse-after-reading", Access.WRITE, call -> {
                    call.body(Body.class);
                    throw new HubException.Conflict("held", "refused after reading the body", Map.of());
                })
                .post("/api/ignore", Access.WRITE, call -> Reply.ok(Map.of("read", false)));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder("api", router), "/api/*");
        Filter counting = (req, resp, chain) -> chain.doFilter(new Counted((HttpServletRequest) req), resp);
        context.addFilter(new FilterHolder(counting), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void reset() {
        READS_PAST_END.set(0);
    }

    @Test
    void a_body_the_handler_read_whole_is_not_read_again_and_the_connection_carries_the_next_request()
            throws Exception {
        try (Socket s = socket()) {
            for (int i = 0; i < 3; i++) {
                String reply = exchange(s, "/api/echo", "good", "{\"text\":\"hello " + i + "\"}");
                assertThat(reply).startsWith("HTTP/1.1 200").contains("\"text\":\"hello " + i + "\"");
                assertThat(reply.toLowerCase()).doesNotContain("connection: close");
            }
        }
        assertThat(READS_PAST_END).hasValue(0);
    }

    @Test
    void a_refusal_after_the_handler_read_the_body_does_not_read_it_again() throws Exception {
        try (Socket s = socket()) {
            assertThat(exchange(s, "/api/refuse-after-reading", "good", "{\"text\":\"x\"}"))
                    .startsWith("HTTP/1.1 409");
            assertThat(exchange(s, "/api/echo", "good", "{\"text\":\"after\"}"))
                    .startsWith("HTTP/1.1 200")
                    .contains("after");
        }
        assertThat(READS_PAST_END).hasValue(0);
    }

    @Test
    void a_body_nobody_read_is_drained_so_the_connection_carries_the_next_request() throws Exception {
        try (Socket s = socket()) {
            // Refused before any handler (bad token), and answered by a handler that never looks at it.
            assertThat(exchange(s, "/api/echo", "bad", "{\"text\":\"unread\"}")).startsWith("HTTP/1.1 401");
            assertThat(exchange(s, "/api/ignore", "good", "{\"text\":\"unread too\"}"))
                    .startsWith("HTTP/1.1 200");
            assertThat(exchange(s, "/api/echo", "good", "{\"text\":\"next\"}"))
                    .startsWith("HTTP/1.1 200")
                    .contains("next");
        }
        assertThat(READS_PAST_END.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void a_reply_the_client_did_not_wait_for_is_not_a_hub_failure() {
        assertThat(Router.clientGone(new org.eclipse.jetty.io.EofException("reset by peer")))
                .isTrue();
        assertThat(Router.clientGone(new IOException("write failed", new org.eclipse.jetty.io.EofException())))
                .isTrue();
        assertThat(Router.clientGone(new IllegalStateException("a bug"))).isFalse();
        assertThat(Router.clientGone(new IOException("disk full"))).isFalse();
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends one keep-alive request on {@code s} and reads its whole reply (by its Content-Length). */
    private static String exchange(Socket s, String path, String token, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A request whose body stream counts reads made once the declared length has been read. */
    private static final class Counted extends HttpServletRequestWrapper {
        private ServletInputStream stream;

        Counted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream real = super.getInputStream();
                long declared = getContentLengthLong();
                stream = new ServletInputStream() {
                    long read;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (read >= declared && len > 0) {
                            READS_PAST_END.incrementAndGet();
                        }
                        int n = real.read(b, off, len);
                        read += Math.max(n, 0);
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return real.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return real.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        real.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
