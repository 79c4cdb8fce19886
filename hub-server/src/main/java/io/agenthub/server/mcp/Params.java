package io.agenthub.server.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one tool, declared once: they render the tool's JSON schema and check every call against it, so the
 * schema a client sees and the checks the hub applies cannot drift apart.
 */
final class Params {
    /** The JSON types a tool argument may have. */
    enum Type {
        STRING("string"),
        INTEGER("integer"),
        NUMBER("number"),
        STRING_ARRAY("array");

        final String json;

        Type(String json) {
            this.json = json;
        }
    }

    /** One argument. {@code choices} is empty unless the value must be one of a fixed set of strings. */
    record Param(String name, Type type, String description, boolean required, List<String> choices) {}

    private final List<Param> params = new ArrayList<>();

    static Params none() {
        return new Params();
    }

    static Params of() {
        return new Params();
    }

    Params required(String name, Type type, String description) {
        return add(new Param(name, type, description, true, List.of()));
    }

    Params optional(String name, Type type, String description) {
        return add(new Param(name, type, description, false, List.of()));
    }

    /** An optional string that must be one of {@code choices}. */
    Params choice(String name, String description, boolean required, List<String> choices) {
        return add(new Param(name, Type.STRING, description, required, List.copyOf(choices)));
    }

    private Params add(Param p) {
        params.add(p);
        return this;
    }

    List<Param> list() {
        return params;
    }

    Param find(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The JSON schema: an object with these properties; unknown properties are refused. */
    Map<String, Object> schema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Param p : params) {
            Map<String, Object> prop = new LinkedHashMap<>();
            prop.put("type", p.type().json);
            if (p.type() == Type.STRING_ARRAY) {
                prop.put("items", Map.of("type", "string"));
            }
            if (!p.choices().isEmpty()) {
                prop.put("enum", p.choices());
            }
            prop.put("description", p.description());
            properties.put(p.name(), prop);
            if (p.required()) {
                required.add(p.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /** Checks a call's arguments; a malformed call fails with a protocol error (invalid params). */
    Args check(String tool, Map<String, Object> arguments) {
        return Args.check(tool, this, arguments == null ? Map.of() : arguments);
    }
}
