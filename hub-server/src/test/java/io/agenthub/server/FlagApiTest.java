package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.wire.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Feature flags over REST, in hot-start, through OFREP and with {@code hub flags}. */
class FlagApiTest {
    private static CliRun cli(TestHub hub, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = hub.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = TestHub.ADMIN;
        return CliRun.of(all);
    }

    @Test
    void agents_get_their_flags_evaluated_by_id_pool_version_and_percentage() throws Exception {
        try (TestHub hub = new TestHub()) {
            String canary = hub.agent("writer-2", Map.of("pool", "writers", "version", "v2"));
            String old = hub.agent("writer-1", Map.of("pool", "writers", "version", "v1"));
            String reviewer = hub.agent("reviewer-1", Map.of("pool", "reviewers"));
            assertThat(hub.post(old, "/api/flags/new-parser", Map.of("type", "boolean", "defaultValue", false))
                            .status())
                    .isEqualTo(403);
            TestHub.Response set = hub.post(
                    TestHub.ADMIN,
                    "/api/flags/new-parser",
                    Map.of(
                            "type",
                            "boolean",
                            "defaultValue",
                            false,
                            "rules",
                            List.of(Map.of("versions", List.of("v2"), "value", true))));
            assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
            hub.post(
                    TestHub.ADMIN,
                    "/api/flags/model",
                    Map.of(
                            "type",
                            "string",
                            "defaultValue",
                            "sonnet",
                            "rules",
                            List.of(
                                    Map.of("agents", List.of("reviewer-1"), "value", "opus"),
                                    Map.of("pools", List.of("writers"), "percent", 0, "value", "haiku"))));
            hub.post(TestHub.ADMIN, "/api/flags/temperature", Map.of("type", "number", "defaultValue", 0.2));
            TestHub.Response wrong =
                    hub.post(TestHub.ADMIN, "/api/flags/broken", Map.of("type", "number", "defaultValue", "high"));
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.raw().body()).contains("defaultValue must be a number");

            JsonNode mine = hub.get(canary, "/api/flags").json();
            assertThat(mine.path("flags").path("new-parser").asBoolean()).isTrue();
            assertThat(mine.path("flags").path("model").asString()).isEqualTo("sonnet");
            assertThat(mine.path("flags").path("temperature").asDouble()).isEqualTo(0.2);
            assertThat(hub.get(old, "/api/flags")
                            .json()
                            .path("flags")
                            .path("new-parser")
                            .asBoolean())
                    .isFalse();
            assertThat(hub.get(reviewer, "/api/flags")
                            .json()
                            .path("flags")
                            .path("model")
                            .asString())
                    .isEqualTo("opus");
            long version = mine.path("version").asLong();

            // A change reaches agents at once (the cache follows the version) and is announced on the ops channel.
            hub.post(
                    TestHub.ADMIN,
                    "/api/flags/model",
                    Map.of(
                            "type",
                            "string",
                            "defaultValue",
                            "sonnet",
                            "rules",
                            List.of(Map.of("pools", List.of("writers"), "percent", 100, "value", "haiku"))));
            JsonNode after = hub.get(canary, "/api/flags").json();
            assertThat(after.path("version").asLong()).isGreaterThan(version);
            assertThat(after.path("flags").path("model").asString()).isEqualTo("haiku");
            assertThat(hub.get(canary, "/api/chat?channel=ops&limit=50").raw().body())
                    .contains("Flag model set by admin");

            JsonNode hot = hub.get(canary, "/api/hot-start").json();
            assertThat(hot.path("flags").path("new-parser").asBoolean()).isTrue();

            assertThat(hub.delete(TestHub.ADMIN, "/api/flags/temperature").status())
                    .isEqualTo(200);
            assertThat(hub.delete(TestHub.ADMIN, "/api/flags/temperature").status())
                    .isEqualTo(404);
            assertThat(hub.get(canary, "/api/flags").json().path("flags").has("temperature"))
                    .isFalse();
        }
    }

    private static HttpResponse<String> ofrep(TestHub hub, String token, String path, String body, String etag)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ofrep_evaluates_one_flag_and_all_flags_for_the_bearer_agent() throws Exception {
        try (TestHub hub = new TestHub()) {
            String agent = hub.agent("writer-2", Map.of("pool", "writers", "version", "v2"));
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

            HttpResponse<String> one = ofrep(
                    hub,
                    agent,
                    "/ofrep/v1/evaluate/flags/new-parser",
                    "{\"context\":{\"targetingKey\":\"writer-2\"}}",
                    null);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            JsonNode v = JsonCodec.MAPPER.readTree(one.body());
            assertThat(v.path("key").asString()).isEqualTo("new-parser");
            assertThat(v.path("value").asBoolean()).isTrue();
            assertThat(v.path("reason").asString()).isEqualTo("TARGETING_MATCH");
            assertThat(v.path("variant").asString()).isEqualTo("rule-1");
            assertThat(JsonCodec.MAPPER
                            .readTree(ofrep(hub, agent, "/ofrep/v1/evaluate/flags/model", "{}", null)
                                    .body())
                            .path("reason")
                            .asString())
                    .isEqualTo("STATIC");

            HttpResponse<String> missing = ofrep(hub, agent, "/ofrep/v1/evaluate/flags/nothing", "{}", null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(JsonCodec.MAPPER
                            .readTree(missing.body())
                            .path("errorCode")
                            .asString())
                    .isEqualTo("FLAG_NOT_FOUND");
            HttpResponse<String> other = ofrep(
                    hub, agent, "/ofrep/v1/evaluate/flags/model", "{\"context\":{\"targetingKey\":\"someone\"}}", null);
            assertThat(other.statusCode()).isEqualTo(400);
            assertThat(JsonCodec.MAPPER.readTree(other.body()).path("errorCode").asString())
                    .isEqualTo("INVALID_CONTEXT");
            HttpResponse<String> admin = ofrep(hub, TestHub.ADMIN, "/ofrep/v1/evaluate/flags/model", "{}", null);
            assertThat(JsonCodec.MAPPER.readTree(admin.body()).path("errorCode").asString())
                    .isEqualTo("TARGETING_KEY_MISSING");
            assertThat(ofrep(hub, "wrong-token", "/ofrep/v1/evaluate/flags/model", "{}", null)
                            .statusCode())
                    .isEqualTo(401);

            HttpResponse<String> bulk = ofrep(hub, agent, "/ofrep/v1/evaluate/flags", "{\"context\":{}}", null);
            assertThat(bulk.statusCode()).isEqualTo(200);
            JsonNode flags = JsonCodec.MAPPER.readTree(bulk.body()).path("flags");
            assertThat(flags).hasSize(2);
            String etag = bulk.headers().firstValue("ETag").orElseThrow();
            assertThat(ofrep(hub, agent, "/ofrep/v1/evaluate/flags", "{}", etag).statusCode())
                    .isEqualTo(304);
            hub.post(TestHub.ADMIN, "/api/flags/model", Map.of("type", "string", "defaultValue", "opus"));
            assertThat(ofrep(hub, agent, "/ofrep/v1/evaluate/flags", "{}", etag).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void admins_manage_flags_with_hub_flags() throws Exception {
        try (TestHub hub = new TestHub()) {
            String agent = hub.agent("writer-2", Map.of("pool", "writers", "version", "v2"));
            CliRun set = cli(
                    hub,
                    "flags",
                    "set",
                    "new-parser",
                    "--type",
                    "boolean",
                    "--default",
                    "false",
                    "--rule",
                    "versions=v2;value=true",
                    "--rule",
                    "percent=50;value=true");
            assertThat(set.code()).as(set.err()).isZero();
            assertThat(set.out()).contains("new-parser");
            CliRun bad = cli(hub, "flags", "set", "n", "--type", "number", "--default", "lots");
            assertThat(bad.code()).isNotZero();
            assertThat(hub.get(agent, "/api/flags")
                            .json()
                            .path("flags")
                            .path("new-parser")
                            .asBoolean())
                    .isTrue();
            CliRun list = cli(hub, "flags", "list");
            assertThat(list.out()).contains("new-parser", "boolean", "false", "2 rule(s)");
            assertThat(cli(hub, "flags", "delete", "new-parser").code()).isZero();
            assertThat(cli(hub, "flags", "list").out()).doesNotContain("new-parser");
        }
    }
}
