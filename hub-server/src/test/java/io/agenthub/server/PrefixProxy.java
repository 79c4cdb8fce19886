package io.agenthub.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A reverse proxy on loopback for tests, as an operator would put in front of the hub: it serves the hub under a path
 * prefix (which it strips), passes requests and answers through with their headers, streams answers as they come (the
 * dashboard's event stream) and says {@code X-Forwarded-Proto: http}.
 */
final class PrefixProxy implements AutoCloseable {
    private static final Set<String> HOP = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "keep-alive",
            "transfer-encoding",
            "te",
            "trailer",
            "proxy-connection",
            "http2-settings");

    private final HttpServer server;
    private final String prefix;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private volatile String target;

    /** Listens on a free loopback port at once; {@link #to} names the hub once it runs. */
    PrefixProxy(String prefix) throws IOException {
        this.prefix = prefix;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where people open the hub through this proxy, e.g. {@code http://127.0.0.1:4321/hub}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    /** Sends requests on to this hub base URL ({@code http://127.0.0.1:port}). */
    PrefixProxy to(String hub) {
        this.target = hub;
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (!path.startsWith(prefix + "/")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            URI uri = URI.create(target + path.substring(prefix.length()) + (query == null ? "" : "?" + query));
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .method(
                            ex.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            b.header("X-Forwarded-Proto", "http");
            HttpResponse<InputStream> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
                if (!HOP.contains(h.getKey().toLowerCase(Locale.ROOT))
                        && !h.getKey().startsWith(":")) {
                    ex.getResponseHeaders().put(h.getKey(), h.getValue());
                }
            }
            long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean empty = length == 0 && (r.statusCode() == 204 || r.statusCode() == 304 || r.statusCode() == 303)
                    || ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.statusCode(), empty ? -1 : length);
            try (InputStream in = r.body();
                    OutputStream out = ex.getResponseBody()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
