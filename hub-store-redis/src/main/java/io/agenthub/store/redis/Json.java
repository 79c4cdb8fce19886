package io.agenthub.store.redis;

import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON for lists, maps and the records stored as one value. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private Json() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    static List<String> list(String json) {
        // Most stored lists are empty, and a parser costs more than the rest of reading the value.
        return json == null || json.isEmpty() || json.equals("[]") ? List.of() : MAPPER.readValue(json, LIST);
    }

    static Map<String, String> map(String json) {
        return json == null || json.isEmpty() || json.equals("{}") ? Map.of() : MAPPER.readValue(json, MAP);
    }
}
