package io.agenthub.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one call to the hub with fail-over over the configured URLs and maps problem details to {@link HubProblem}.
 *
 * <p>Fail-over: a call starts at the URL that answered last. It moves on to the next URL when the connection cannot be
 * made (refused, unresolved, connect timeout: the call never reached a hub) or when a hub answers 503 (it did not do
 * the work). A GET also moves on when the connection breaks or times out mid-way; any other call then fails with
 * {@link HubProblem.Unreachable}, because the hub may have applied it. When every URL fails, the last 503 is thrown (with
 * its Retry-After), else {@link HubProblem.Unreachable}.
 */
final class Transport {
    /**
     * The JSON mapper, built on first use: a raw call ({@link Hooks}, {@link Mcp}) never loads it, which keeps a
     * short-lived process such as a command hook quick to start.
     */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        static final TypeReference<Map<String, JsonNode>> MEMBERS = new TypeReference<>() {};
    }

    static JsonMapper json() {
        return Json.MAPPER;
    }

    private static final List<String> STANDARD = List.of("type", "title", "status", "detail", "instance", "code");

    private final List<URI> urls;
    private final String token;
    /** Null for a one-shot client, which sends each call over {@link HttpURLConnection}. */
    private final HttpClient http;

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final AtomicInteger preferred = new AtomicInteger();

    /** An answer that is not a problem. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
        <T> T as(Class<T> type) {
            return decode(body, type);
        }

        <T> T as(TypeReference<T> type) {
            try {
                return Json.MAPPER.readValue(body, type);
            } catch (JacksonException e) {
                throw badReply(e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Transport(List<URI> urls, String token, HttpClient http, Duration connectTimeout, Duration requestTimeout) {
        this.urls = List.copyOf(urls);
        this.token = token;
        this.http = http;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    Transport withToken(String newToken) {
        return new Transport(urls, newToken, http, connectTimeout, requestTimeout);
    }

    List<URI> urls() {
        return urls;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    <T> T get(String path, Class<T> type) {
        return call("GET", path, null, requestTimeout).as(type);
    }

    <T> T post(String path, Object body, Class<T> type) {
        return call("POST", path, body, requestTimeout).as(type);
    }

    /** One call; {@code body} is sent as JSON when not null. Throws the mapped problem for statuses of 400 and above. */
    Answer call(String method, String path, Object body, Duration timeout) {
        byte[] json = body == null ? null : Json.MAPPER.writeValueAsBytes(body);
        if (http == null) {
            return oneShot(
                    method, path, json, json == null ? Map.of() : Map.of("Content-Type", "application/json"), timeout);
        }
        HttpResponse<byte[]> r = send(
                path,
                timeout,
                method.equals("GET"),
                b -> {
                    if (json != null) {
                        b.header("Content-Type", "application/json");
                    }
                    b.method(
                            method,
                            json == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(json));
                },
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 400) {
            throw problem(r.statusCode(), r.headers(), r.body(), path);
        }
        return new Answer(r.statusCode(), r.headers(), r.body());
    }

    /**
     * A POST of bytes as they are, with extra headers; the answer's bytes as they are. No JSON mapping happens unless
     * the hub refuses (then the problem is mapped as for every call).
     */
    Answer postRaw(String path, byte[] body, String contentType, Map<String, String> headers, Duration timeout) {
        if (http == null) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", contentType);
            return oneShot("POST", path, body, all, timeout);
        }
        HttpResponse<byte[]> r = send(
                path,
                timeout,
                false,
                b -> {
                    headers.forEach(b::header);
                    b.header("Content-Type", contentType);
                    b.POST(HttpRequest.BodyPublishers.ofByteArray(body));
                },
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 400) {
            throw problem(r.statusCode(), r.headers(), r.body(), path);
        }
        return new Answer(r.statusCode(), r.headers(), r.body());
    }

    /**
     * Opens a streaming GET (server-sent events) with fail-over; the caller reads and closes the body. No request
     * timeout applies once the headers arrived.
     */
    HttpResponse<InputStream> stream(String path, Map<String, String> headers) {
        if (http == null) {
            throw new IllegalStateException(
                    "Event streams and streamed exports need the default client: build it without oneShot().");
        }
        HttpResponse<InputStream> r = send(
                path,
                requestTimeout,
                true,
                b -> {
                    headers.forEach(b::header);
                    b.GET();
                },
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw problem(r.statusCode(), r.headers(), body, path);
        }
        return r;
    }

    private <T> HttpResponse<T> send(
            String path,
            Duration timeout,
            boolean idempotent,
            java.util.function.Consumer<HttpRequest.Builder> shape,
            HttpResponse.BodyHandler<T> handler) {
        int start = preferred.get();
        IOException lastFailure = null;
        HubProblem lastUnavailable = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (start + i) % urls.size();
            HttpRequest.Builder b = HttpRequest.newBuilder(resolve(urls.get(index), path))
                    .timeout(timeout)
                    .header("Accept", "application/json, application/problem+json, text/event-stream");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            shape.accept(b);
            HttpResponse<T> r;
            try {
                r = http.send(b.build(), handler);
            } catch (IOException e) {
                if (!idempotent && !neverConnected(e)) {
                    throw brokenOff(urls.get(index), path, e);
                }
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubProblem.Unreachable("Interrupted while calling " + path + ".", path, e);
            }
            if (r.statusCode() == 503) {
                lastUnavailable = problem(503, r.headers(), drain(r.body()), path);
                continue;
            }
            preferred.set(index);
            return r;
        }
        throw noneAnswered(lastUnavailable, lastFailure, path);
    }

    /**
     * One call over {@link HttpURLConnection}, with the same fail-over and problem mapping as {@link #send}. It starts
     * much faster than {@link HttpClient} (no selector thread, no TLS set-up for http), which matters to a process that
     * makes one call and exits, such as a command hook. GET, POST and DELETE only.
     */
    private Answer oneShot(String method, String path, byte[] body, Map<String, String> headers, Duration timeout) {
        boolean idempotent = method.equals("GET");
        int start = preferred.get();
        IOException lastFailure = null;
        HubProblem lastUnavailable = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (start + i) % urls.size();
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) resolve(urls.get(index), path).toURL().openConnection();
                c.setConnectTimeout(millis(connectTimeout));
                c.setReadTimeout(millis(timeout));
                c.setInstanceFollowRedirects(false);
                c.setRequestMethod(method);
                c.setRequestProperty("Accept", "application/json, application/problem+json, text/event-stream");
                if (token != null) {
                    c.setRequestProperty("Authorization", "Bearer " + token);
                }
                headers.forEach(c::setRequestProperty);
                if (body != null) {
                    // Buffered, not streamed: a refusal's body (401 with WWW-Authenticate) stays readable.
                    c.setDoOutput(true);
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(body);
                    }
                }
                int status = c.getResponseCode();
                byte[] bytes;
                try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    bytes = in == null ? new byte[0] : in.readAllBytes();
                }
                Map<String, List<String>> fields = new LinkedHashMap<>(c.getHeaderFields());
                fields.remove(null); // the status line
                HttpHeaders h = HttpHeaders.of(fields, (name, value) -> true);
                if (status == 503) {
                    lastUnavailable = problem(503, h, bytes, path);
                    continue;
                }
                preferred.set(index);
                if (status >= 400) {
                    throw problem(status, h, bytes, path);
                }
                return new Answer(status, h, bytes);
            } catch (IOException e) {
                if (!idempotent && !neverConnected(e)) {
                    throw brokenOff(urls.get(index), path, e);
                }
                lastFailure = e;
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
        }
        throw noneAnswered(lastUnavailable, lastFailure, path);
    }

    /** A call that may have reached the hub before its connection broke: not repeated elsewhere. */
    private static HubProblem.Unreachable brokenOff(URI url, String path, IOException e) {
        return new HubProblem.Unreachable(
                "The connection to " + url + " failed during " + path + " (" + e
                        + "); the hub may have applied the call, so check before repeating it.",
                path,
                e);
    }

    /** Every URL failed: the last 503 if a hub gave one, else what kept the call from any hub. */
    private HubProblem noneAnswered(HubProblem lastUnavailable, IOException lastFailure, String path) {
        if (lastUnavailable != null) {
            return lastUnavailable;
        }
        return new HubProblem.Unreachable(
                "No hub answered at " + urls + " (" + lastFailure
                        + "); check that the hub runs and that the URL and network are right.",
                path,
                lastFailure);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static byte[] drain(Object body) {
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof InputStream in) {
            try (in) {
                return in.readNBytes(64 * 1024);
            } catch (IOException e) {
                return new byte[0];
            }
        }
        return new byte[0];
    }

    /** True when the failure happened before any byte of the request could reach a hub. */
    static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    static HubProblem problem(int status, HttpHeaders headers, byte[] body, String path) {
        Map<String, JsonNode> all = Map.of();
        try {
            if (body.length > 0) {
                JsonNode tree = Json.MAPPER.readTree(body);
                if (tree.isObject()) {
                    all = Json.MAPPER.convertValue(tree, Json.MEMBERS);
                }
            }
        } catch (JacksonException e) {
            // Not problem+json (a proxy's error page): the status and a short excerpt still say what happened.
        }
        Map<String, JsonNode> members = new LinkedHashMap<>(all);
        STANDARD.forEach(members::remove);
        String detail = text(all.get("detail"));
        if (detail == null) {
            String raw = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
            detail = "The hub answered " + status + (raw.isEmpty() ? "" : ": " + raw) + ".";
        }
        String code = text(all.get("code"));
        return HubProblem.of(new HubProblem.ProblemDetails(
                status,
                code == null ? "http_" + status : code,
                text(all.get("title")),
                detail,
                text(all.get("instance")) == null ? path : text(all.get("instance")),
                members,
                retryAfter(headers)));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asString();
    }

    private static Duration retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After")
                .map(v -> {
                    try {
                        return Duration.ofSeconds(Long.parseLong(v.strip()));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                })
                .orElse(null);
    }

    static <T> T decode(byte[] body, Class<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JacksonException e) {
            throw badReply(e);
        }
    }

    private static HubProblem badReply(JacksonException e) {
        return HubProblem.of(new HubProblem.ProblemDetails(
                500,
                "bad_reply",
                "Bad reply",
                "The hub's reply could not be read (" + e.getOriginalMessage()
                        + "); check that the client and hub versions match.",
                null,
                Map.of(),
                null));
    }

    /** Percent-encodes one path segment. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string from name-value pairs; null values are left out. */
    static String query(String path, Object... pairs) {
        StringBuilder out = new StringBuilder(path);
        char sep = path.contains("?") ? '&' : '?';
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            if (v == null) {
                continue;
            }
            if (v instanceof Iterable<?> many) {
                for (Object one : many) {
                    out.append(sep).append(pairs[i]).append('=').append(segment(String.valueOf(one)));
                    sep = '&';
                }
                continue;
            }
            out.append(sep).append(pairs[i]).append('=').append(segment(String.valueOf(v)));
            sep = '&';
        }
        return out.toString();
    }
}
