package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Labels a hub policy reads (pool, wake-url, the tier's core label) are privileged: an agent cannot set them on itself,
 * by PATCH or at enrolment; an admin can, and a join key can fix them for the agents it enrols.
 */
class PrivilegedLabelsTest {
    private TestHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new TestHub(Map.of("join-key-labels", "web-key:pool=web"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private TestHub.Response patch(String token, String id, String body) {
        return hub.send(
                token,
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/agents/" + id))
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void an_agent_cannot_give_itself_the_core_label_pool_or_wake_url() {
        String a = hub.agent("rogue", Map.of("pool", "web"));
        for (String body : new String[] {
            "{\"labels\":{\"core\":\"true\"}}",
            "{\"labels\":{\"pool\":\"payments\"}}",
            "{\"labels\":{\"wake-url\":\"http://169.254.169.254/latest\"}}",
            "{\"labels\":{\"pool\":null}}"
        }) {
            TestHub.Response r = patch(a, "rogue", body);
            assertThat(r.status()).as(body).isEqualTo(403);
            assertThat(r.json().path("code").asString()).isEqualTo("privileged_label");
            assertThat(r.json().path("detail").asString()).contains("privileged", "admin", "join key");
        }
        assertThat(hub.get(TestHub.ADMIN, "/api/agents/rogue")
                        .json()
                        .path("agent")
                        .path("labels")
                        .toString())
                .isEqualTo("{\"pool\":\"web\"}");
    }

    @Test
    void an_agent_still_sets_its_descriptive_labels_and_may_repeat_a_privileged_label_unchanged() {
        String a = hub.agent("honest", Map.of("pool", "web"));
        TestHub.Response r = patch(a, "honest", "{\"labels\":{\"version\":\"2.1\",\"pool\":\"web\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("labels").path("version").asString()).isEqualTo("2.1");
    }

    @Test
    void an_admin_sets_privileged_labels_and_the_change_is_audited() {
        hub.agent("worker");
        TestHub.Response r = patch(TestHub.ADMIN, "worker", "{\"labels\":{\"core\":\"true\",\"pool\":\"ops\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("labels").path("core").asString()).isEqualTo("true");
        assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=20").raw().body()).contains("agent.labels.privileged");
    }

    @Test
    void a_self_set_core_label_no_longer_lets_an_agent_take_new_work_in_tier_2() {
        String a = hub.agent("sneaky");
        assertThat(patch(a, "sneaky", "{\"labels\":{\"core\":\"true\"}}").status())
                .isEqualTo(403);
        assertThat(hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "test"))
                        .status())
                .isLessThan(300);
        TestHub.Response lease = hub.post(a, "/api/leases", Map.of("resource", "src/a.ts"));
        assertThat(lease.status()).isEqualTo(503);
    }

    @Test
    void enrolment_cannot_choose_privileged_labels_but_a_join_key_fixes_them() {
        String plain = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "plain-key"))
                .json()
                .path("joinKey")
                .asString();
        TestHub.Response refused = hub.post(
                null,
                "/api/agents/enroll",
                Map.of("joinKey", plain, "id", "climber", "labels", Map.of("pool", "payments")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asString()).isEqualTo("privileged_label");

        String web = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "web-key"))
                .json()
                .path("joinKey")
                .asString();
        TestHub.Response enrolled = hub.post(
                null, "/api/agents/enroll", Map.of("joinKey", web, "id", "web-7", "labels", Map.of("version", "3")));
        assertThat(enrolled.status()).isEqualTo(201);
        assertThat(enrolled.json().path("labels").path("pool").asString()).isEqualTo("web");
        assertThat(hub.post(
                                null,
                                "/api/agents/enroll",
                                Map.of("joinKey", web, "id", "web-8", "labels", Map.of("pool", "payments")))
                        .status())
                .isEqualTo(403);
    }
}
