package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenFeature Java SDK reads the hub's flags through the community OFREP provider from Maven Central
 * ({@code dev.openfeature.contrib.providers:ofrep}), with the agent's token as bearer and its id as targeting key.
 */
class OfrepJavaSdkTest {
    @Test
    void the_java_sdk_evaluates_the_agents_flags_through_ofrep() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("java-writer", Map.of("pool", "writers", "version", "v2"));
            hub.post(
                    TestHub.ADMIN,
                    "/api/flags/new-parser",
                    Map.of(
                            "type",
                            "boolean",
                            "defaultValue",
                            false,
                            "rules",
                            List.of(Map.of("versions", List.of("v2"), "value", true))));
            hub.post(TestHub.ADMIN, "/api/flags/model", Map.of("type", "string", "defaultValue", "sonnet"));
            hub.post(TestHub.ADMIN, "/api/flags/temperature", Map.of("type", "number", "defaultValue", 0.3));

            OpenFeatureAPI api = OpenFeatureAPI.getInstance();
            api.setProviderAndWait(
                    "hub",
                    OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                            .baseUrl(hub.url())
                            .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + token)))
                            .build()));
            try {
                Client client = api.getClient("hub");
                ImmutableContext me = new ImmutableContext("java-writer");
                FlagEvaluationDetails<Boolean> parser = client.getBooleanDetails("new-parser", false, me);
                assertThat(parser.getValue()).isTrue();
                assertThat(parser.getReason()).isEqualTo("TARGETING_MATCH");
                assertThat(parser.getVariant()).isEqualTo("rule-1");
                assertThat(client.getStringValue("model", "none", me)).isEqualTo("sonnet");
                assertThat(client.getDoubleValue("temperature", 1.0, me)).isEqualTo(0.3);
                FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("no-such-flag", true, me);
                assertThat(missing.getValue()).isTrue();
                assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
            } finally {
                api.shutdown();
            }
        }
    }
}
