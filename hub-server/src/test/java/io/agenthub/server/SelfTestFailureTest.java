package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.selftest.SelfTest;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Breaking a capability turns exactly the checks that use it red, and a failing run reaches group chat, the alerts and
 * the pass-rate metric.
 */
class SelfTestFailureTest {
    @Test
    void a_memory_store_that_refuses_writes_turns_the_memory_checks_red_and_is_reported() throws Exception {
        try (TestHub hub = new TestHub()) {
            Hub h = hub.hub();
            SelfTest broken = new SelfTest(
                    new BrokenStores(h.stores(), false),
                    "test-node",
                    h.services::announce,
                    run -> h.ops.evaluate(),
                    Clock.systemUTC());
            SelfTestRun run = broken.runAll("request");

            List<String> red = run.results().stream()
                    .filter(r -> r.status() == CheckResult.Status.FAIL)
                    .map(CheckResult::name)
                    .toList();
            assertThat(red)
                    .as("exactly the checks that write memories fail")
                    .containsExactlyInAnyOrder(
                            "memory-remember-recall",
                            "memory-filters",
                            "memory-recall-count",
                            "memory-forget",
                            "memory-forget-not-author",
                            "hot-start-bundle",
                            "snapshot-round-trip");
            assertThat(run.results())
                    .filteredOn(r -> r.name().equals("memory-forget"))
                    .singleElement()
                    .extracting(CheckResult::message)
                    .asString()
                    .contains("disk I/O error");
            assertThat(run.passed()).isGreaterThanOrEqualTo(53);

            String admin = TestHub.ADMIN;
            JsonNode chat =
                    hub.get(admin, "/api/chat?channel=ops&limit=50").json().path("messages");
            assertThat(chat.toString()).contains("Self-test: ", "memory-forget", "[FIRING warning] SelfTestFailing");
            JsonNode alerts = hub.get(admin, "/api/alerts").json();
            assertThat(alerts.path("firing").toString()).contains("SelfTestFailing");
            String metrics = hub.get(admin, "/metrics").raw().body();
            assertThat(metrics).containsPattern("hub_selftest_pass_ratio 0\\.9\\d*");
            assertThat(metrics).contains("hub_selftest_checks{status=\"fail\"} 7.0");

            SelfTestRun healthy = h.selfTest.runAll("request");
            assertThat(healthy.failed()).isZero();
            h.ops.evaluate();
            assertThat(hub.get(admin, "/api/alerts").json().path("firing").size())
                    .isZero();
            assertThat(hub.get(admin, "/api/chat?channel=ops&limit=50").raw().body())
                    .contains("Self-test: all", "[RESOLVED warning] SelfTestFailing");
        }
    }
}
