package io.agenthub.server.mcp;

import io.agenthub.error.HubException;
import io.agenthub.server.http.JsonCodec;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds tool results: structured content rendered exactly as the REST API renders the same objects, beside a short
 * text for people and for clients that show only text.
 */
final class Results {
    private Results() {}

    /** A success: {@code text} for the model, {@code structured} (a record or map) as JSON. */
    static McpSchema.CallToolResult ok(String text, Object structured) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(text)
                .structuredContent(json(structured))
                .isError(false)
                .build();
    }

    /**
     * A domain failure as a tool result with {@code isError: true}: the text is the REST problem's {@code detail}
     * sentence, and the structured content carries its {@code code} and details.
     */
    static McpSchema.CallToolResult failure(HubException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code());
        body.put("detail", e.getMessage());
        e.details().forEach(body::putIfAbsent);
        return McpSchema.CallToolResult.builder()
                .addTextContent(e.getMessage())
                .structuredContent(json(body))
                .isError(true)
                .build();
    }

    /** An object as the JSON map the REST API would send for it (ISO times, lower-case enums). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Object value) {
        return JsonCodec.MAPPER.convertValue(value, Map.class);
    }
}
