package io.agenthub.cli;

import io.agenthub.server.wire.JsonCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP over stdio for clients that launch a process: each JSON-RPC line read from stdin is posted to a running hub's
 * {@code /mcp} with the agent's bearer token, and the hub's answer is written to stdout as one line. The tools
 * themselves live only in the hub, so stdio and HTTP clients see the same tool set.
 *
 * <p>Requests run concurrently (a long-poll does not hold up the others). When stdin closes, the proxy lets requests
 * in flight finish, then returns. Stdout carries only protocol messages; diagnostics go to the log (stderr).
 */
final class McpStdioProxy {
    private static final Logger LOG = LoggerFactory.getLogger(McpStdioProxy.class);
    /** JSON-RPC error code when the hub refuses or cannot be reached (implementation-defined server error range). */
    static final int HUB_ERROR = -32000;

    private final URI endpoint;
    private final String token;
    private final HttpClient http = ClientTls.builder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Object outLock = new Object();

    McpStdioProxy(URI endpoint, String token) {
        this.endpoint = endpoint;
        this.token = token;
    }

    /** Proxies until {@code in} ends; returns the exit code. */
    int run(InputStream in, OutputStream out) throws IOException, InterruptedException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = JsonCodec.MAPPER.readTree(line);
                } catch (JacksonException e) {
                    write(out, error(null, -32700, "Parse error: the line is not JSON.", null));
                    continue;
                }
                String body = line;
                pool.submit(() -> forward(message, body, out));
            }
            LOG.debug("stdin closed; finishing requests in flight");
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("requests still running 60 s after stdin closed; exiting anyway");
            }
        }
        return 0;
    }

    private void forward(JsonNode message, String body, OutputStream out) {
        JsonNode id = message.get("id");
        boolean request = message.has("method") && id != null && !id.isNull();
        try {
            HttpRequest.Builder post = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (token != null) {
                post.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status == 200 && type.startsWith("text/event-stream")) {
                for (String event : events(response.body())) {
                    write(out, JsonCodec.MAPPER.readTree(event));
                }
            } else if (status == 200 && !response.body().isBlank()) {
                write(out, JsonCodec.MAPPER.readTree(response.body()));
            } else if (status >= 300) {
                String detail = detail(response.body());
                LOG.warn("the hub answered HTTP {}: {}", status, detail);
                if (request) {
                    write(out, error(id, HUB_ERROR, "The hub answered HTTP " + status + ": " + detail, status));
                }
            }
        } catch (IOException | RuntimeException e) {
            String why = HubClient.unreachable(endpoint.toString(), e).getMessage();
            LOG.warn(why);
            if (request) {
                write(out, error(id, HUB_ERROR, why, null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code data:} payloads of a server-sent event stream, one per event. */
    private static List<String> events(String stream) {
        List<String> events = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        for (String line : stream.split("\r?\n", -1)) {
            if (line.startsWith("data:")) {
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.isEmpty() && !data.isEmpty()) {
                events.add(data.toString());
                data.setLength(0);
            }
        }
        if (!data.isEmpty()) {
            events.add(data.toString());
        }
        return events;
    }

    private static String detail(String body) {
        try {
            JsonNode json = JsonCodec.MAPPER.readTree(body);
            String detail = json.path("detail").asString("");
            if (!detail.isEmpty()) {
                return detail;
            }
            String message = json.path("message").asString("");
            return message.isEmpty() ? body.strip() : message;
        } catch (JacksonException e) {
            return body.strip();
        }
    }

    private static JsonNode error(JsonNode id, int code, String message, Integer status) {
        ObjectNode response = JsonCodec.MAPPER.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? JsonCodec.MAPPER.nullNode() : id);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (status != null) {
            error.put("data", Map.of("httpStatus", status));
        }
        response.set("error", JsonCodec.MAPPER.valueToTree(error));
        return response;
    }

    private void write(OutputStream out, JsonNode message) {
        // One compact line per message: JSON-RPC over stdio is newline-delimited.
        byte[] line = (JsonCodec.MAPPER.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (outLock) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                LOG.warn("cannot write to stdout: {}", e.getMessage());
            }
        }
    }
}
