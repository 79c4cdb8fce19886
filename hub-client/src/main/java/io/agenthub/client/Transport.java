package io.agenthub.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
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
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final TypeReference<Map<String, JsonNode>> MEMBERS = new TypeReference<>() {};
    private static final List<String> STANDARD = List.of("type", "title", "status", "detail", "instance", "code");

    private final List<URI> urls;
    private final String token;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicInteger preferred = new AtomicInteger();

    /** An answer that is not a problem. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
        <T> T as(Class<T> type) {
            return decode(body, type);
        }

        <T> T as(TypeReference<T> type) {
            try {
                return JSON.readValue(body, type);
            } catch (JacksonException e) {
                throw badReply(e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Transport(List<URI> urls, String token, HttpClient http, Duration requestTimeout) {
        this.urls = List.copyOf(urls);
        this.token = token;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    Transport withToken(String newToken) {
        return new Transport(urls, newToken, http, requestTimeout);
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
        byte[] json = body == null ? null : JSON.writeValueAsBytes(body);
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
     * Opens a streaming GET (server-sent events) with fail-over; the caller reads and closes the body. No request
     * timeout applies once the headers arrived.
     */
    HttpResponse<InputStream> stream(String path, Map<String, String> headers) {
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
                    throw new HubProblem.Unreachable(
                            "The connection to " + urls.get(index) + " failed during " + path + " (" + e
                                    + "); the hub may have applied the call, so check before repeating it.",
                            path,
                            e);
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
        if (lastUnavailable != null) {
            throw lastUnavailable;
        }
        throw new HubProblem.Unreachable(
                "No hub answered at " + urls + " (" + lastFailure
                        + "); check that the hub runs and that the URL and network are right.",
                path,
                lastFailure);
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
                JsonNode tree = JSON.readTree(body);
                if (tree.isObject()) {
                    all = JSON.convertValue(tree, MEMBERS);
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
            return JSON.readValue(body, type);
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
