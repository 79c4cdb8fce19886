package io.agenthub.cli;

import io.agenthub.server.wire.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** A small JSON-over-HTTP client for the CLI. Errors carry the hub's problem detail. */
final class HubClient {
    private final HttpClient http =
            ClientTls.builder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    /** A failed call, with the hub's own sentence. */
    static final class Failure extends RuntimeException {
        private final int status;

        Failure(String message) {
            this(message, 0);
        }

        Failure(String message, int status) {
            super(message);
            this.status = status;
        }

        /** The HTTP status of the refusal; 0 when the hub did not answer. */
        int status() {
            return status;
        }
    }

    HubClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** The bearer token this client sends (null for none). */
    String token() {
        return token;
    }

    /** A GET whose answer is text (e.g. markdown); bounded to 30 s. */
    String getText(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (token != null && !token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response =
                    http.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new Failure("HTTP " + response.statusCode(), response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("Interrupted.");
        }
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    JsonNode post(String path, Object body) {
        return post(path, body, Duration.ofSeconds(30));
    }

    /** A POST that may take up to {@code timeout} (a long poll); an empty answer (204) is an empty object. */
    JsonNode post(String path, Object body, Duration timeout) {
        return send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.MAPPER.writeValueAsBytes(body))),
                timeout);
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
    }

    /** Streams the body of a GET to {@code out} (e.g. a snapshot). */
    void download(String path, java.io.OutputStream out) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (token != null && !token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.send(
                    builder.timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = response.body()) {
                if (response.statusCode() >= 400) {
                    JsonNode body = JsonCodec.MAPPER.readTree(in.readAllBytes());
                    throw new Failure("HTTP " + response.statusCode() + ": "
                            + body.path("detail").asString(""));
                }
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw unreachable(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("Interrupted.");
        }
    }

    /** The failure of a call that got no answer, with what went wrong in words (never "null"). */
    static Failure unreachable(String url, Throwable e) {
        return new Failure("cannot reach the hub at " + url + ": " + why(e)
                + "; is it running? Start it with ./hub serve, or point --url / HUB_URL at it.");
    }

    /** What went wrong with a connection, in words: the JDK's exceptions often carry no message. */
    static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            switch (t) {
                case java.net.ConnectException c -> {
                    return "connection refused";
                }
                case java.net.http.HttpConnectTimeoutException c -> {
                    return "no connection within 5 s";
                }
                case java.net.http.HttpTimeoutException c -> {
                    return "no answer in time";
                }
                case java.net.UnknownHostException u -> {
                    return "unknown host " + u.getMessage();
                }
                default -> {}
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private JsonNode send(HttpRequest.Builder builder) {
        return send(builder, Duration.ofSeconds(30));
    }

    private JsonNode send(HttpRequest.Builder builder, Duration timeout) {
        if (token != null && !token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response =
                    http.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = response.body().length == 0
                    ? JsonCodec.MAPPER.createObjectNode()
                    : JsonCodec.MAPPER.readTree(response.body());
            if (response.statusCode() >= 400) {
                String detail = body.path("detail").asString("");
                throw new Failure(
                        "HTTP " + response.statusCode() + ": " + (detail.isEmpty() ? body.toString() : detail),
                        response.statusCode());
            }
            return body;
        } catch (IOException e) {
            throw unreachable(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("Interrupted.");
        }
    }
}
