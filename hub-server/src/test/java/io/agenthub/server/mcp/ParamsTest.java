package io.agenthub.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
    private final Params params = Params.of()
            .required("resource", Params.Type.STRING, "what")
            .optional("ttlSeconds", Params.Type.INTEGER, "how long")
            .optional("wait", Params.Type.NUMBER, "seconds")
            .optional("tags", Params.Type.STRING_ARRAY, "words")
            .choice("status", "state", false, List.of("idle", "busy"));

    @Test
    void the_schema_is_rendered_from_the_same_declaration_that_checks_calls() {
        Map<String, Object> schema = params.schema();
        assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false);
        assertThat(schema.get("required")).isEqualTo(List.of("resource"));
        assertThat(schema.get("properties").toString())
                .contains("ttlSeconds={type=integer")
                .contains("tags={type=array, items={type=string}")
                .contains("status={type=string, enum=[idle, busy]");
    }

    @Test
    void whole_numbers_may_arrive_as_any_json_number_without_a_fraction() {
        Args a = params.check("t", Map.of("resource", "r", "ttlSeconds", 30.0, "wait", 0.5));
        assertThat(a.integer("ttlSeconds")).isEqualTo(30L);
        assertThat(a.number("wait")).isEqualTo(0.5);
        assertThat(params.check("t", Map.of("resource", "r", "ttlSeconds", BigInteger.TEN))
                        .integer("ttlSeconds"))
                .isEqualTo(10L);
        assertThat(params.check("t", Map.of("resource", "r")).strings("tags")).isEmpty();
    }

    @Test
    void malformed_arguments_are_input_validation_errors_naming_the_argument() {
        assertInvalid(Map.of(), "t needs the argument 'resource' (what).");
        assertInvalid(Map.of("resource", 5), "argument 'resource' must be a string; got the number 5.");
        assertInvalid(Map.of("resource", "r", "ttlSeconds", 1.5), "must be a whole number; got the number 1.5.");
        assertInvalid(Map.of("resource", "r", "tags", List.of("a", 1)), "must be an array of strings; got an array.");
        assertInvalid(Map.of("resource", "r", "status", "asleep"), "must be one of idle, busy; got 'asleep'.");
        assertInvalid(Map.of("resource", "r", "force", true), "t has no argument 'force'; it accepts resource,");
    }

    private void assertInvalid(Map<String, Object> args, String message) {
        assertThatThrownBy(() -> params.check("t", args))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((HubException) e).details()).containsKey("field"));
    }
}
