package io.agenthub.server.mcp;

import io.agenthub.error.HubException;
import io.agenthub.server.wire.JsonCodec;
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

    /** Where a failed call's problem ({@code code}, {@code detail} and details) goes in the result's {@code _meta}. */
    static final String PROBLEM = "agenthub/problem";

    /**
     * A failure as a tool result with {@code isError: true}: a domain failure or an argument the model can correct
     * (2025-11-25, SEP-1303). The text is the REST problem's {@code detail} sentence; the problem's {@code code} and
     * details are in {@code _meta} under {@value #PROBLEM}. There is no {@code structuredContent}: it would have to
     * match the tool's output schema, and clients that validate it would reject the error instead of showing it.
     */
    static McpSchema.CallToolResult failure(HubException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code());
        body.put("detail", e.getMessage());
        e.details().forEach(body::putIfAbsent);
        return McpSchema.CallToolResult.builder()
                .addTextContent(e.getMessage())
                .meta(Map.of(PROBLEM, json(body)))
                .isError(true)
                .build();
    }

    /** An object as the JSON map the REST API would send for it (ISO times, lower-case enums). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Object value) {
        return JsonCodec.MAPPER.convertValue(value, Map.class);
    }
}
