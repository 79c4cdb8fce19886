package io.agenthub.cli;

import io.agenthub.client.HubProblem;
import io.agenthub.client.Mcp;
import io.agenthub.server.wire.JsonCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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

    private final Mcp mcp;
    private final String url;
    private final Object outLock = new Object();

    /** Relays to {@code mcp} (the client's requests wait up to its request timeout); {@code url} is for messages. */
    McpStdioProxy(Mcp mcp, String url) {
        this.mcp = mcp;
        this.url = url;
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
            for (String answer : mcp.send(body)) {
                write(out, JsonCodec.MAPPER.readTree(answer));
            }
        } catch (HubProblem.Unreachable e) {
            String why = "cannot reach the hub at " + url + ": " + Connect.why(e.getCause() == null ? e : e.getCause())
                    + "; is it running? Start it with ./hub serve, or point --url / HUB_URL at it.";
            LOG.warn(why);
            if (request) {
                write(out, error(id, HUB_ERROR, why, null));
            }
        } catch (HubProblem e) {
            LOG.warn("the hub answered HTTP {}: {}", e.status(), e.getMessage());
            if (request) {
                write(
                        out,
                        error(
                                id,
                                HUB_ERROR,
                                "The hub answered HTTP " + e.status() + ": " + e.getMessage(),
                                e.status()));
            }
        } catch (JacksonException e) {
            LOG.warn("the hub's answer is not JSON: {}", e.getOriginalMessage());
            if (request) {
                write(out, error(id, HUB_ERROR, "The hub's answer is not JSON: " + e.getOriginalMessage(), null));
            }
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
