package io.agenthub.server.http;

import io.agenthub.handoff.Target;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * The hub's one JSON mapper: ISO-8601 times, lower-case enums, unknown fields ignored, handoff targets in their written
 * form ({@code pool:web}).
 */
public final class JsonCodec {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("agent-hub").addSerializer(Target.class, ToStringSerializer.instance))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private JsonCodec() {}
}
