package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The self-test through the API: at least 53 real checks, all green on a healthy hub. */
class SelfTestApiTest {
    @Test
    void every_check_passes_on_a_healthy_hub_and_the_run_is_stored() throws Exception {
        try (TestHub hub = new TestHub()) {
            String viewer = hub.viewer("dashboard");
            TestHub.Response run = hub.get(viewer, "/api/tools-test");
            assertThat(run.status()).isEqualTo(200);
            JsonNode body = run.json();
            List<String> failures = new ArrayList<>();
            for (JsonNode r : body.path("results")) {
                if (!r.path("status").asString().equals("pass")) {
                    failures.add(
                            r.path("name").asString() + ": " + r.path("message").asString());
                }
            }
            assertThat(failures).as("failed or skipped checks").isEmpty();
            assertThat(body.path("passed").asInt()).isGreaterThanOrEqualTo(53);
            assertThat(body.path("summary").asString()).endsWith("tests passing");
            assertThat(body.path("results").get(0).has("latencyMillis")).isTrue();

            JsonNode results = hub.get(viewer, "/api/tools-test?action=results").json();
            assertThat(results.path("id").asString()).isEqualTo(body.path("id").asString());
            JsonNode list =
                    hub.get(viewer, "/api/tools-test?action=list").json().path("checks");
            assertThat(list.size()).isEqualTo(body.path("results").size());

            JsonNode one =
                    hub.get(viewer, "/api/tools-test?tool=lease-conflict").json();
            assertThat(one.path("results").size()).isEqualTo(1);
            assertThat(one.path("results").get(0).path("status").asString()).isEqualTo("pass");
            assertThat(hub.get(viewer, "/api/tools-test?tool=nope").status()).isEqualTo(404);
            assertThat(hub.get(viewer, "/api/tools-test?action=results")
                            .json()
                            .path("id")
                            .asString())
                    .as("a single check does not replace the stored run")
                    .isEqualTo(body.path("id").asString());
            assertThat(hub.dataDir().resolve("scratch").toFile().list())
                    .as("scratch namespaces are deleted")
                    .isEmpty();
        }
    }

    @Test
    void the_self_test_runs_at_start_up() throws Exception {
        try (TestHub hub = new TestHub(Map.of("self-test-on-start", "true"), java.time.Clock.systemUTC())) {
            TestHub.Response r = null;
            for (int i = 0; i < 300; i++) {
                r = hub.get(TestHub.ADMIN, "/api/tools-test?action=results");
                if (r.status() == 200) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("trigger").asString()).isEqualTo("startup");
            assertThat(r.json().path("failed").asInt()).isZero();
        }
    }

    @Test
    void agents_and_viewers_get_the_recent_whole_run_and_only_an_admin_starts_another() throws Exception {
        try (TestHub hub = new TestHub()) {
            String viewer = hub.viewer("dashboard");
            String agent = hub.agent("curious");
            String first = runId(hub, viewer);
            assertThat(runId(hub, agent)).as("an agent gets the recent run").isEqualTo(first);
            assertThat(runId(hub, viewer)).as("so does a viewer, again").isEqualTo(first);
            String byAdmin = runId(hub, TestHub.ADMIN);
            assertThat(byAdmin).as("an admin starts a new run").isNotEqualTo(first);
            assertThat(runId(hub, viewer)).isEqualTo(byAdmin);
        }
    }

    private static String runId(TestHub hub, String token) {
        TestHub.Response r = hub.get(token, "/api/tools-test");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().path("id").asString();
    }
}
