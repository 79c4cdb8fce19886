package io.agenthub.server.wire;

import io.agenthub.handoff.Target;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * The hub's one JSON mapper: ISO-8601 times, lower-case enums, unknown fields ignored, handoff targets in their written
 * form ({@code pool:web}) both ways, so that a snapshot's handoffs read back.
 */
public final class JsonCodec {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("agent-hub")
                    .addSerializer(Target.class, ToStringSerializer.instance)
                    .addDeserializer(Target.class, new TargetDeserializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private JsonCodec() {}

    /** A target from its written form, as {@link Target#parse} reads it. */
    private static final class TargetDeserializer extends StdDeserializer<Target> {
        TargetDeserializer() {
            super(Target.class);
        }

        @Override
        public Target deserialize(JsonParser p, DeserializationContext ctxt) {
            return Target.parse(p.getValueAsString());
        }
    }
}
