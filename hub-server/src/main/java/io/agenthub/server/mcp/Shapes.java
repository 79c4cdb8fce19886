package io.agenthub.server.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output schemas of the tools: the JSON the REST API sends for the same objects, described by their main fields
 * to the first level (nested objects and lists are typed, not spelled out, and the other fields of a record are not
 * listed, to keep {@code tools/list} under its size budget). A field is written
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
        "text:string",
        "createdAt:string"
    };

    static final String[] MEMORY = {"id:string", "category:string", "content:string", "tags:array"};

    static final String[] HANDOFF = {"id:string", "from:string", "to:string", "title:string", "status:string"};

    static final String[] AGENT = {"id:string", "status:string", "currentTask:string?", "presence:string"};

    static final String[] TASK = {"id:string", "title:string", "pool:string", "priority:integer", "state:string"};

    static final String[] CHECKPOINT = {"agentId:string", "version:integer", "createdAt:string"};

    /** A message page: {@code messages} in time order and the cursor to continue from. */
    static final Map<String, Object> PAGE = object("messages:array", "nextCursor:integer");
}
