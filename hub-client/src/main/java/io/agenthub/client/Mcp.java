package io.agenthub.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /mcp}: the hub's MCP endpoint (streamable HTTP, JSON-RPC 2.0). For a bridge that relays messages as they are
 * (such as {@code hub mcp} over stdio); Java agents rather use the typed calls, which reach the same services.
 */
public final class Mcp {
    private final Transport t;

    Mcp(Transport t) {
        this.t = t;
    }

    /**
     * Posts one JSON-RPC message and returns the hub's messages in answer (one for a request, several when the hub
     * answers with an event stream, none for a notification). A refusal (bad token: 401) is a {@link HubProblem}.
     */
    public List<String> send(String message) {
        Transport.Answer a = t.postRaw(
                "/mcp", message.getBytes(StandardCharsets.UTF_8), "application/json", Map.of(), t.requestTimeout());
        String type = a.headers().firstValue("Content-Type").orElse("");
        String body = a.text();
        if (type.startsWith("text/event-stream")) {
            return events(body);
        }
        return body.isBlank() ? List.of() : List.of(body.strip());
    }

    /** The {@code data:} payloads of a server-sent event stream, one per event. */
    static List<String> events(String stream) {
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
}
