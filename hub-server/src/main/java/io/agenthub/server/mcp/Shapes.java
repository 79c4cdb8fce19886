package io.agenthub.server.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output schemas of the tools: the JSON the REST API sends for the same objects, described to the first level
 * (nested objects and lists are typed, not spelled out, to keep {@code tools/list} small). A field is written
 * {@code name:type}, where type is a JSON type; {@code ?} after the type allows null, and {@code ~} before the name
 * makes the field optional. Further fields may appear (no {@code additionalProperties: false}), so adding a field to a
 * record never breaks a client that validates.
 */
final class Shapes {
    private Shapes() {}

    static Map<String, Object> object(String... fields) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (String field : fields) {
            int colon = field.indexOf(':');
            boolean optional = field.startsWith("~");
            String name = field.substring(optional ? 1 : 0, colon);
            String type = field.substring(colon + 1);
            boolean nullable = type.endsWith("?");
            String json = nullable ? type.substring(0, type.length() - 1) : type;
            properties.put(name, Map.of("type", nullable ? List.of(json, "null") : json));
            if (!optional) {
                required.add(name);
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    static final String[] LEASE = {
        "resource:string", "holder:string", "token:integer", "acquiredAt:string", "expiresAt:string", "note:string"
    };

    static final String[] MESSAGE = {
        "cursor:integer",
        "id:string",
        "kind:string",
        "channel:string?",
        "author:string",
        "to:string?",
        "text:string",
        "replyTo:string?",
        "mentions:array",
        "createdAt:string"
    };

    static final String[] MEMORY = {
        "id:string", "category:string", "content:string", "tags:array", "~author:string", "createdAt:string"
    };

    static final String[] HANDOFF = {
        "id:string",
        "kind:string",
        "from:string",
        "to:string",
        "title:string",
        "context:string",
        "nextSteps:array",
        "files:array",
        "leases:array",
        "status:string",
        "~acceptedBy:string?",
        "~note:string?",
        "createdAt:string",
        "expiresAt:string"
    };

    static final String[] AGENT = {
        "id:string",
        "name:string",
        "role:string",
        "capabilities:array",
        "labels:object",
        "status:string",
        "currentTask:string?",
        "contextTokens:integer",
        "presence:string",
        "~lastSeen:string?"
    };

    static final String[] CHECKPOINT = {
        "agentId:string",
        "version:integer",
        "currentTask:string?",
        "progress:string?",
        "decisions:array",
        "blockers:array",
        "pendingWork:array",
        "filesTouched:array",
        "context:string?",
        "contextTokens:integer",
        "createdAt:string"
    };

    /** A message page: {@code messages} in time order and the cursor to continue from. */
    static final Map<String, Object> PAGE = object("messages:array", "nextCursor:integer");
}
