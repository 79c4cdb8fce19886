package io.agenthub.server.wire;

import io.agenthub.handoff.Target;
import io.agenthub.message.Message;
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
 * form ({@code pool:web}) both ways, so that a snapshot's handoffs read back. Messages are written from cached JSON
 * ({@link MessageJson}).
 */
public final class JsonCodec {
    public static final JsonMapper MAPPER = builder()
            .addModule(new SimpleModule("agent-hub-messages")
                    .addSerializer(Message.class, new MessageJson(builder().build())))
            .build();

    /** Everything but the cached message serializer, which writes what a mapper built from this alone writes. */
    static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .addModule(new SimpleModule("agent-hub")
                        .addSerializer(Target.class, ToStringSerializer.instance)
                        .addDeserializer(Target.class, new TargetDeserializer()))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
                .enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
    }

    private JsonCodec() {}

    private static final java.util.regex.Pattern JAVA_NAMES = java.util.regex.Pattern.compile(
            "\\s*\\((?:bound as|through reference chain:?) [^)]*\\)|:?\\s*not allowed as per `[^`]*`"
                    + "|\\s*\\(`JsonToken\\.[A-Z_]+`\\)|\\s*\\(for (?:Object|POJO|type) [^)]*\\)");
    private static final java.util.regex.Pattern QUALIFIED =
            java.util.regex.Pattern.compile("`?[a-z][\\w$]*(?:\\.[\\w$]+){2,}`?");

    /**
     * What is wrong with a JSON document, for the client that sent it: Jackson's sentence without the Java types,
     * features and reference chains it names (they tell a client nothing and tell an attacker what runs here).
     */
    public static String clientMessage(tools.jackson.core.JacksonException e) {
        String m = e.getOriginalMessage();
        if (m == null || m.isBlank()) {
            return "malformed JSON";
        }
        m = JAVA_NAMES.matcher(m).replaceAll("");
        m = QUALIFIED.matcher(m).replaceAll("a value");
        m = m.replace("Exception", "error");
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

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
