package io.agenthub.server;

import io.agenthub.server.config.HubConfig;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.store.Stores;
import io.agenthub.tck.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * A real hub on a free loopback port with its own data directory, driven over HTTP with {@code java.net.http}. Restart
 * keeps the data directory.
 */
public final class TestHub implements AutoCloseable {
    public static final String ADMIN = "test-admin-token-0123456789abcdef";
    private final Path dataDir;
    private final Map<String, String> settings;
    private final InstantSource clock;
    private final UnaryOperator<Stores> storage;
    private Hub hub;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status, headers and the parsed JSON body (or a missing node). */
    public record Response(int status, HttpResponse<String> raw, JsonNode json) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public TestHub(Map<String, String> overrides, InstantSource clock) throws IOException {
        this(Files.createTempDirectory("hub-e2e"), overrides, clock);
    }

    private TestHub(Path dataDir, Map<String, String> overrides, InstantSource clock) {
        this(dataDir, overrides, clock, UnaryOperator.identity());
    }

    private TestHub(Path dataDir, Map<String, String> overrides, InstantSource clock, UnaryOperator<Stores> storage) {
        this.dataDir = dataDir;
        this.storage = storage;
        this.settings = new HashMap<>(overrides);
        this.clock = clock;
        settings.putIfAbsent("port", "0");
        settings.putIfAbsent("admin-token", ADMIN);
        // The start-up self-test runs ~70 checks; end-to-end tests that want it ask for it.
        settings.putIfAbsent("self-test-on-start", "false");
        // The weekly coordination drill runs only when a test asks for it.
        settings.putIfAbsent("drill-interval", "0s");
        settings.put("data-dir", dataDir.toString());
        start();
    }

    public TestHub() throws IOException {
        this(Map.of(), java.time.Clock.systemUTC());
    }

    public static TestHub withClock(MutableClock clock, Map<String, String> overrides) throws IOException {
        return new TestHub(overrides, clock);
    }

    /** A hub whose stores are wrapped by {@code storage}, to count or slow down store calls. */
    public static TestHub withStorage(MutableClock clock, Map<String, String> overrides, UnaryOperator<Stores> storage)
            throws IOException {
        return new TestHub(Files.createTempDirectory("hub-e2e"), overrides, clock, storage);
    }

    /** A hub on an existing data directory (e.g. one a snapshot was imported into). */
    public static TestHub onDataDir(Path dataDir) {
        return new TestHub(dataDir, Map.of(), java.time.Clock.systemUTC());
    }

    private void start() {
        hub = new Hub(HubConfig.of(settings), clock, storage).start();
    }

    /** Stops the hub and starts a new one on the same data directory (on a new port). */
    public void restart() {
        hub.close();
        start();
    }

    public Hub hub() {
        return hub;
    }

    public String url() {
        return hub.baseUrl();
    }

    /** Creates an agent as admin and returns its token. */
    public String agent(String id) {
        Response r = post(ADMIN, "/api/agents", Map.of("id", id, "name", id));
        if (r.status() != 201) {
            throw new IllegalStateException(
                    "creating " + id + " failed: " + r.raw().body());
        }
        return r.json().path("token").asString();
    }

    /** Creates an agent with labels (such as {@code pool} or {@code wake-url}) as admin and returns its token. */
    public String agent(String id, Map<String, String> labels) {
        Response r = post(ADMIN, "/api/agents", Map.of("id", id, "name", id, "labels", labels));
        if (r.status() != 201) {
            throw new IllegalStateException(
                    "creating " + id + " failed: " + r.raw().body());
        }
        return r.json().path("token").asString();
    }

    /** Creates a viewer and returns its token. */
    public String viewer(String id) {
        return post(ADMIN, "/api/agents", Map.of("id", id, "role", "viewer"))
                .json()
                .path("token")
                .asString();
    }

    public Response get(String token, String path) {
        return send(token, HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    public Response post(String token, String path, Object body) {
        return postRaw(token, path, JsonCodec.MAPPER.writeValueAsString(body));
    }

    public Response postRaw(String token, String path, String body) {
        return send(
                token,
                HttpRequest.newBuilder(URI.create(url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response delete(String token, String path) {
        return send(token, HttpRequest.newBuilder(URI.create(url() + path)).DELETE());
    }

    public Response send(String token, HttpRequest.Builder builder) {
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> raw =
                    http.send(builder.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            String type = raw.headers().firstValue("Content-Type").orElse("");
            // JSON lines (a snapshot) are many documents: read them from raw().
            JsonNode json = raw.body().isEmpty() || !type.contains("json") || type.contains("ndjson")
                    ? JsonCodec.MAPPER.missingNode()
                    : JsonCodec.MAPPER.readTree(raw.body());
            return new Response(raw.statusCode(), raw, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        hub.close();
    }
}
