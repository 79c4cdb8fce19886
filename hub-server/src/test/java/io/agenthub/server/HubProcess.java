package io.agenthub.server;

import io.agenthub.server.wire.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A hub node in a JVM process of its own ({@code hub serve} on this test's classpath), configured with {@code HUB_*}
 * environment variables, on a free port. Several of them on one Redis make a cluster of real hub processes.
 */
final class HubProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Agent Hub listening on (http://\\S+) ");

    private final Process process;
    private final Path log;
    private final String url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HubProcess(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** Starts a node with these settings (by key, e.g. {@code redis-url}) and waits until it listens. */
    static HubProcess start(Map<String, String> settings) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("hub-node");
        Path log = dataDir.resolve("node.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), "io.agenthub.cli.Cli", "serve")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("HUB_PORT", "0");
        env.put("HUB_DATA_DIR", dataDir.toString());
        env.put("HUB_ADMIN_TOKEN", TestHub.ADMIN);
        settings.forEach((k, v) -> env.put("HUB_" + k.toUpperCase(Locale.ROOT).replace('-', '_'), v));
        Process process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log);
            Matcher m = LISTENING.matcher(out);
            if (m.find()) {
                return new HubProcess(process, log, m.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("hub node exited: " + out);
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("hub node did not start: " + Files.readString(log));
    }

    String url() {
        return url;
    }

    TestHub.Response get(String token, String path) {
        return send(token, HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    TestHub.Response post(String token, String path, Object body) {
        return send(
                token,
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JsonCodec.MAPPER.writeValueAsString(body))));
    }

    /** Creates an agent as admin and returns its token. */
    String agent(String id) {
        TestHub.Response r = post(TestHub.ADMIN, "/api/agents", Map.of("id", id, "name", id));
        if (r.status() != 201) {
            throw new IllegalStateException(
                    "creating " + id + " failed: " + r.raw().body());
        }
        return r.json().path("token").asString();
    }

    private TestHub.Response send(String token, HttpRequest.Builder builder) {
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> raw =
                    http.send(builder.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = raw.headers().firstValue("Content-Type").orElse("").contains("json")
                    ? JsonCodec.MAPPER.readTree(raw.body())
                    : JsonCodec.MAPPER.missingNode();
            return new TestHub.Response(raw.statusCode(), raw, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the node with SIGKILL (no shutdown hook runs) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Stops the node as an operator does (SIGTERM runs its shutdown hook) and waits for it. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
