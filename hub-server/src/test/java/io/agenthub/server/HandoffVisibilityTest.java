package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A transfer's body is the departing agent's checkpoint: only its parties and admins read it. */
class HandoffVisibilityTest {

    @Test
    void a_transfer_s_checkpoint_text_is_shown_to_its_parties_and_admins_only() throws Exception {
        try (TestHub hub = new TestHub()) {
            String leaver = hub.agent("leaver", Map.of("pool", "blue"));
            String mate = hub.agent("mate", Map.of("pool", "blue"));
            String stranger = hub.agent("stranger", Map.of("pool", "red"));
            String viewer = hub.viewer("screen");
            assertThat(hub.post(
                                    leaver,
                                    "/api/checkpoints",
                                    Map.of(
                                            "currentTask",
                                            "rotate the billing keys",
                                            "context",
                                            "SECRET-PLAN the vault path is /srv/keys",
                                            "pendingWork",
                                            List.of("step-secret"),
                                            "filesTouched",
                                            List.of("vault/keys.txt")))
                            .status())
                    .isEqualTo(201);
            TestHub.Response transfer = hub.postRaw(leaver, "/api/handoffs/transfer", "{}");
            assertThat(transfer.status()).as(transfer.raw().body()).isEqualTo(200);
            String id = transfer.json().path("id").asString();
            assertThat(transfer.json().path("context").asString()).contains("SECRET-PLAN");

            for (String party : List.of(leaver, mate, TestHub.ADMIN)) {
                JsonNode one = hub.get(party, "/api/handoffs/" + id).json();
                assertThat(one.path("context").asString()).contains("SECRET-PLAN");
                assertThat(one.path("nextSteps").toString()).contains("step-secret");
                assertThat(hub.get(party, "/api/handoffs").raw().body()).contains("SECRET-PLAN");
            }
            for (String outsider : List.of(stranger, viewer)) {
                TestHub.Response one = hub.get(outsider, "/api/handoffs/" + id);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.json().path("id").asString()).isEqualTo(id);
                assertThat(one.json().path("from").asString()).isEqualTo("leaver");
                assertThat(one.json().path("context").asString()).contains("Only the sender");
                assertThat(one.raw().body()).doesNotContain("SECRET-PLAN", "step-secret", "vault/keys.txt");
                TestHub.Response list = hub.get(outsider, "/api/handoffs");
                assertThat(list.json().path("handoffs")).hasSize(1);
                assertThat(list.raw().body()).doesNotContain("SECRET-PLAN", "step-secret", "vault/keys.txt");
            }
        }
    }
}
