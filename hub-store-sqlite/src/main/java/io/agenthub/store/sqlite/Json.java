package io.agenthub.store.sqlite;

import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON columns for lists and maps. */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private Json() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static List<String> list(String json) {
        // Most rows hold an empty list, and a parser costs more than the rest of mapping the row.
        return json == null || json.isEmpty() || json.equals("[]") ? List.of() : MAPPER.readValue(json, LIST);
    }

    static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    static Map<String, String> map(String json) {
        return json == null || json.isEmpty() || json.equals("{}") ? Map.of() : MAPPER.readValue(json, MAP);
    }
}
