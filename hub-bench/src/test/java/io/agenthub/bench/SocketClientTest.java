package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The minimal HTTP client's framing of replies. */
class SocketClientTest {
    @Test
    void a_204_without_content_length_is_read_as_an_empty_reply_on_a_connection_that_stays_open() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread hub = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    // Read the request head, then answer as the hub answers an empty long-poll, keeping the socket.
                    int matched = 0;
                    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    while (matched < end.length) {
                        int b = in.read();
                        matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(10_000);
                } catch (Exception e) {
                    // The test is over.
                }
            });
            try (SocketClient client = new SocketClient(URI.create("http://127.0.0.1:" + server.getLocalPort()))) {
                long t0 = System.nanoTime();
                Response r = client.send("POST", "/api/tasks/claim?wait=1", "t", new byte[] {'{', '}'}, 5000);

                assertThat(r.status()).as(r.describe()).isEqualTo(204);
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4000);
            } finally {
                hub.interrupt();
            }
        }
    }
}
