package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.selftest.SelfTestRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The self-test's scratch hubs keep their synthetic agents' audit lines out of the real server log. */
class SelfTestAuditLogTest {
    @Test
    void a_self_test_run_writes_no_audit_lines_to_the_server_log_while_real_admin_actions_do() throws Exception {
        try (TestHub hub = new TestHub()) {
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            SelfTestRun run;
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                run = hub.hub().selfTest.runAll("test");
                assertThat(hub.post(TestHub.ADMIN, "/api/agents", Map.of("id", "real-agent", "name", "Real"))
                                .status())
                        .isEqualTo(201);
            } finally {
                System.setErr(err);
            }
            assertThat(run.failed()).as(run.toString()).isZero();
            List<String> audit = Arrays.stream(
                            captured.toString(StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> line.contains("AuditLog - audit "))
                    .toList();
            assertThat(audit)
                    .as("the real admin action is logged, none of the self-test's")
                    .hasSize(1)
                    .allSatisfy(line -> assertThat(line).contains("agent.create real-agent"));
            assertThat(hub.hub().services.audit.logged()).isTrue();
        }
    }
}
