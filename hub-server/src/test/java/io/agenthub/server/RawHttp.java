package io.agenthub.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection ({@code Connection: close} is the caller's to send), for
 * requests that {@code java.net.http} refuses to send: any method, request line, header or body bytes.
 */
final class RawHttp {
    private RawHttp() {}

    /**
     * A reply: status, headers (lower-case names, first value) and the body (chunked bodies decoded). A reply to an event
     * stream has only its head ({@code streamed}).
     */
    record Reply(int status, Map<String, String> headers, byte[] body, boolean streamed) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code request} to the hub at {@code base} and reads the reply; null when the hub closed the connection
     * without one. With {@code halfClose} the socket's output is shut after the request, so a hub waiting for more body
     * bytes sees the end of the stream instead of waiting.
     */
    static Reply exchange(URI base, byte[] request, boolean halfClose, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The hub may answer (413) and close before the whole body is sent: read what it said.
            }
            InputStream in = socket.getInputStream();
            byte[] head;
            try {
                head = head(in);
                while (new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 100")) {
                    head = head(in); // an interim 100 Continue; the reply follows
                }
            } catch (java.net.SocketException e) {
                return null; // reset after an early answer to a request still being sent
            }
            if (head.length == 0) {
                return null;
            }
            String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP reply: " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(
                            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            String type = headers.getOrDefault("content-type", "");
            if (type.startsWith("text/event-stream")) {
                return new Reply(status, headers, new byte[0], true);
            }
            byte[] body;
            try {
                if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                    body = chunked(in);
                } else if (headers.containsKey("content-length")) {
                    body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
                } else {
                    body = in.readAllBytes();
                }
            } catch (java.net.SocketException e) {
                body = new byte[0];
            }
            return new Reply(status, headers, body, false);
        }
    }

    private static byte[] head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }
}
