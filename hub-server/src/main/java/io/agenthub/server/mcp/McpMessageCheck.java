package io.agenthub.server.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;

/**
 * The shape of one JSON-RPC message sent to {@code /mcp}, checked before the MCP SDK sees it. The SDK reads the
 * envelope and the typed params of the methods it serves without guarding against nulls or wrong types, and answers
 * such input with an HTTP 500; here every such message becomes a JSON-RPC error that names what is wrong.
 */
final class McpMessageCheck {
    /** A refused message: the JSON-RPC error code and sentence, and the request id when the message had a valid one. */
    record Refusal(int code, String message, JsonNode id) {}

    /** The params each method served here needs, by field: "string" or "object" (all fields shown are required). */
    private static final Map<String, Map<String, String>> REQUIRED = Map.of(
            "tools/call", Map.of("name", "string"),
            "resources/read", Map.of("uri", "string"),
            "prompts/get", Map.of("name", "string"),
            "initialize", Map.of("protocolVersion", "string"),
            "logging/setLevel", Map.of("level", "string"));

    /** Optional params fields that, when present, must have this type. */
    private static final Map<String, String> OPTIONAL = Map.of(
            "arguments", "object",
            "_meta", "object",
            "cursor", "string",
            "capabilities", "object",
            "clientInfo", "object");

    /** The SDK's typed params per method: params that do not convert would fail inside the SDK instead. */
    private static final Map<String, Class<?>> TYPED = Map.of(
            "initialize", McpSchema.InitializeRequest.class,
            "tools/call", McpSchema.CallToolRequest.class,
            "resources/read", McpSchema.ReadResourceRequest.class,
            "prompts/get", McpSchema.GetPromptRequest.class,
            "logging/setLevel", McpSchema.SetLevelRequest.class,
            "tools/list", McpSchema.PaginatedRequest.class,
            "resources/list", McpSchema.PaginatedRequest.class,
            "resources/templates/list", McpSchema.PaginatedRequest.class,
            "prompts/list", McpSchema.PaginatedRequest.class);

    private McpMessageCheck() {}

    /** Null when the message may go to the SDK, else why not. */
    static Refusal check(JsonNode message) {
        if (message == null || !message.isObject()) {
            return invalid("A message to /mcp must be one JSON-RPC 2.0 object; batches and bare values are not"
                    + " accepted.");
        }
        JsonNode version = message.get("jsonrpc");
        if (version == null || !version.isString() || !version.asString().equals("2.0")) {
            return invalid("Field 'jsonrpc' must be the string \"2.0\".");
        }
        JsonNode id = message.get("id");
        if (id != null && !(id.isString() || id.isIntegralNumber())) {
            return invalid("Field 'id' must be a string or a whole number.");
        }
        JsonNode method = message.get("method");
        if (method == null || !method.isString() || method.asString().isBlank()) {
            return new Refusal(
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Field 'method' must be a non-empty string: the hub accepts requests and notifications only.",
                    id);
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            return invalidParams("Field 'params' must be an object when present.", id);
        }
        if (id == null) {
            // A notification gets no answer and the SDK ignores what it does not know; its params are not read.
            return null;
        }
        Map<String, String> required = REQUIRED.getOrDefault(method.asString(), Map.of());
        if (!required.isEmpty() && params == null) {
            return invalidParams(
                    method.asString() + " needs params with " + String.join(", ", required.keySet()) + ".", id);
        }
        for (var field : required.entrySet()) {
            JsonNode value = params.get(field.getKey());
            if (!hasType(value, field.getValue())) {
                return invalidParams(
                        method.asString() + " needs params." + field.getKey() + " as " + article(field.getValue()) + " "
                                + field.getValue() + ".",
                        id);
            }
        }
        if (params != null) {
            for (var field : OPTIONAL.entrySet()) {
                JsonNode value = params.get(field.getKey());
                if (value != null && !hasType(value, field.getValue())) {
                    return invalidParams(
                            method.asString() + ": params." + field.getKey() + " must be " + article(field.getValue())
                                    + " " + field.getValue() + " when present.",
                            id);
                }
            }
            Class<?> type = TYPED.get(method.asString());
            if (type != null) {
                String wrong = convertFailure(params, type);
                if (wrong != null) {
                    return invalidParams(
                            "The params of " + method.asString() + " do not match the MCP schema: " + wrong + ".", id);
                }
            }
        }
        return null;
    }

    /** Null when the SDK can read {@code params} as {@code type}, else which field it cannot read. */
    private static String convertFailure(JsonNode params, Class<?> type) {
        try {
            McpJsonDefaults.getMapper().readValue(params.toString(), type);
            return null;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof DatabindException d && !d.getPath().isEmpty()) {
                    return "field params." + fieldPath(d) + " has the wrong type";
                }
            }
            return "a field has the wrong type";
        }
    }

    private static String fieldPath(DatabindException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("");
    }

    private static boolean hasType(JsonNode value, String type) {
        return value != null && (type.equals("string") ? value.isString() : value.isObject());
    }

    private static Refusal invalid(String message) {
        return new Refusal(McpSchema.ErrorCodes.INVALID_REQUEST, message, null);
    }

    private static Refusal invalidParams(String message, JsonNode id) {
        return new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, message, id);
    }

    private static String article(String type) {
        return type.isEmpty() || "aeiou".indexOf(type.charAt(0)) < 0 ? "a" : "an";
    }
}
