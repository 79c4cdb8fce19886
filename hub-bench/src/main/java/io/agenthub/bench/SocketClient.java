package io.agenthub.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A minimal HTTP/1.1 client on blocking sockets, for {@code --transport socket}: a pool of keep-alive connections,
 * one request at a time on each, read and written by the calling virtual thread. It understands exactly what the hub
 * sends (a status line, headers, a body framed by {@code Content-Length} or chunked) and nothing more: no redirects,
 * no TLS, no HTTP/2. Its point is cost: about a fifth of the CPU per request of {@link java.net.http.HttpClient},
 * whose selector thread, executor hand-offs and futures otherwise take as much CPU as the hub on a shared machine.
 */
final class SocketClient implements AutoCloseable {
    private static final int MAX_HEADER_LINE = 8192;

    private final InetSocketAddress address;
    private final String host;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SocketClient(URI base) {
        int port = base.getPort() > 0 ? base.getPort() : 80;
        this.address = new InetSocketAddress(base.getHost(), port);
        this.host = base.getHost() + ":" + port;
    }

    /**
     * Sends one request on a pooled connection (opening one if none is idle) and reads the whole reply. A reply that
     * does not start within {@code timeoutMillis} between reads is a failure; so is any I/O error.
     */
    Response send(String method, String pathAndQuery, String token, byte[] body, int timeoutMillis)
            throws InterruptedException {
        Connection c = idle.pollFirst();
        try {
            if (c == null) {
                c = new Connection();
            }
            c.socket.setSoTimeout(timeoutMillis);
            c.write(method, pathAndQuery, token, body);
            Response r = c.read();
            if (c.reusable && !closed) {
                idle.addFirst(c);
            } else {
                c.close();
            }
            return r;
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted during " + method + " " + pathAndQuery);
            }
            return Response.failed(
                    e instanceof SocketTimeoutException
                            ? "timeout after " + timeoutMillis / 1000 + " s"
                            : Response.describe(e));
        }
    }

    /** Closes every connection, idle or in use; requests in flight fail. */
    @Override
    public void close() {
        closed = true;
        open.forEach(Connection::close);
    }

    private final class Connection {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;
        private boolean reusable;

        Connection() throws IOException {
            open.add(this);
            try {
                socket.setTcpNoDelay(true);
                socket.connect(address, 10_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16_384);
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        void write(String method, String pathAndQuery, String token, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder(256)
                    .append(method)
                    .append(' ')
                    .append(pathAndQuery)
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(host)
                    .append("\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ")
                        .append(body.length)
                        .append("\r\n");
            }
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + (body == null ? 0 : body.length)];
            System.arraycopy(h, 0, all, 0, h.length);
            if (body != null) {
                System.arraycopy(body, 0, all, h.length, body.length);
            }
            out.write(all);
            out.flush();
        }

        Response read() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new IOException("not an HTTP response: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            reusable = status.startsWith("HTTP/1.1");
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" ->
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> reusable &= !value.equalsIgnoreCase("close");
                    default -> {}
                }
            }
            byte[] body;
            if (code == 204 || code == 304) {
                // No body by definition (RFC 9110), whatever the headers say.
                body = new byte[0];
            } else if (chunked) {
                body = chunks();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("reply ended early");
                }
            } else {
                body = in.readAllBytes();
                reusable = false;
            }
            return new Response(code, body, null);
        }

        private byte[] chunks() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // Trailers are ignored.
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) {
                    throw new EOFException("reply ended early");
                }
                body.write(chunk);
                line();
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed by the hub");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
                if (sb.length() > MAX_HEADER_LINE) {
                    throw new IOException("header line too long");
                }
            }
            return sb.toString();
        }

        void close() {
            open.remove(this);
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is best effort.
            }
        }
    }
}
