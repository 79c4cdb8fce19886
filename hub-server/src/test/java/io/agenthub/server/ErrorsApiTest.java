package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The errors tool over HTTP: reporting, grouping, triage and the overview with the error rate. */
class ErrorsApiTest {
    private static Map<String, Object> report(String title, String level) {
        return Map.of(
                "title",
                title,
                "message",
                "details",
                "level",
                level,
                "culprit",
                "deploy.step",
                "stackTrace",
                "Error: boom\n    at deploy (deploy.js:10:5)",
                "tags",
                Map.of("task", "deploy"));
    }

    @Test
    void reports_group_by_fingerprint_and_the_overview_counts_them_with_the_error_rate() throws Exception {
        try (TestHub hub = new TestHub()) {
            String a = hub.agent("builder-1");
            String b = hub.agent("builder-2");
            TestHub.Response first = hub.post(a, "/api/errors", report("Deploy failed after 3 retries", "error"));
            assertThat(first.status()).isEqualTo(201);
            assertThat(first.json().path("created").asBoolean()).isTrue();
            String id = first.json().path("issue").path("id").asString();
            TestHub.Response second = hub.post(b, "/api/errors", report("Deploy failed after 5 retries", "fatal"));
            assertThat(second.json().path("issue").path("id").asString()).isEqualTo(id);
            JsonNode issue = second.json().path("issue");
            assertThat(issue.path("count").asLong()).isEqualTo(2);
            assertThat(issue.path("level").asString()).isEqualTo("fatal");
            assertThat(issue.path("agents").toString()).contains("builder-1", "builder-2");
            hub.post(a, "/api/errors", report("Cache miss", "warning"));
            hub.post(a, "/api/heartbeat", Map.of());

            JsonNode overview = hub.get(a, "/api/errors?action=overview").json();
            assertThat(overview.path("unresolvedCount").asLong()).isEqualTo(2);
            assertThat(overview.path("critical").asLong()).isEqualTo(1);
            assertThat(overview.path("last24hByLevel").path("fatal").asLong()).isEqualTo(1);
            assertThat(overview.path("last24hByLevel").path("error").asLong()).isEqualTo(1);
            assertThat(overview.path("last24hByLevel").path("warning").asLong()).isEqualTo(1);
            assertThat(overview.path("last24hTotal").asLong()).isEqualTo(3);
            assertThat(overview.path("hourly").size()).isEqualTo(24);
            JsonNode rate = overview.path("errorRate");
            assertThat(rate.path("reportedFailures").asLong()).isEqualTo(2);
            assertThat(rate.path("operations").asLong()).isGreaterThanOrEqualTo(4);
            assertThat(rate.path("rate").asDouble())
                    .isEqualTo((double) 2 / rate.path("operations").asLong());
            assertThat(hub.get(a, "/api/errors").json().path("unresolvedCount").asLong())
                    .as("overview is the default")
                    .isEqualTo(2);

            JsonNode events =
                    hub.get(a, "/api/errors?action=events&issueId=" + id).json().path("events");
            assertThat(events.size()).isEqualTo(2);
            assertThat(events.get(0).path("report").path("agentId").asString()).isEqualTo("builder-2");
            assertThat(hub.get(a, "/api/errors?action=issues&level=error")
                            .json()
                            .path("issues")
                            .size())
                    .isEqualTo(1);

            TestHub.Response resolved = hub.send(
                    a,
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url() + "/api/errors/" + id))
                            .header("Content-Type", "application/json")
                            .method(
                                    "PATCH",
                                    java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\":\"resolved\"}")));
            assertThat(resolved.json().path("status").asString()).isEqualTo("resolved");
            TestHub.Response again = hub.post(b, "/api/errors", report("Deploy failed after 9 retries", "error"));
            assertThat(again.json().path("reopened").asBoolean()).isTrue();
            assertThat(again.json().path("issue").path("status").asString()).isEqualTo("unresolved");
        }
    }

    @Test
    void a_viewer_cannot_report_and_a_report_needs_a_title() throws Exception {
        try (TestHub hub = new TestHub()) {
            String viewer = hub.viewer("dashboard");
            assertThat(hub.post(viewer, "/api/errors", Map.of("title", "x")).status())
                    .isEqualTo(403);
            String a = hub.agent("a1");
            assertThat(hub.post(a, "/api/errors", Map.of("message", "no title")).status())
                    .isEqualTo(400);
            assertThat(hub.post(a, "/api/errors", Map.of("title", "x", "level", "loud"))
                            .status())
                    .isEqualTo(400);
            assertThat(hub.get(a, "/api/errors?action=issue&issueId=nope").status())
                    .isEqualTo(404);
        }
    }
}
