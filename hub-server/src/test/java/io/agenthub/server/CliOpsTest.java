package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operators' commands against a running hub. */
class CliOpsTest {
    record Run(int code, String out) {}

    private static Run cli(TestHub hub, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = hub.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = TestHub.ADMIN;
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(Cli.run(all), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void tier_errors_alerts_status_and_trace_commands_show_what_operators_need() throws Exception {
        try (TestHub hub = new TestHub()) {
            String a = hub.agent("a1");
            hub.post(a, "/api/leases", Map.of("resource", "x"));
            hub.post(a, "/api/errors", Map.of("title", "deploy failed", "level", "error"));

            Run set = cli(hub, "tier", "set", "4", "--reason", "pause new work");
            assertThat(set.code()).isZero();
            assertThat(set.out()).contains("tier 4 (maintenance) in force: pause new work");
            Run tier = cli(hub, "tier");
            assertThat(tier.out()).contains("tier 4 (maintenance)", "admin", "pause new work");
            assertThat(hub.post(a, "/api/chat", Map.of("channel", "general", "text", "x"))
                            .status())
                    .isEqualTo(503);

            Run errors = cli(hub, "errors");
            assertThat(errors.out()).contains("error rate", "unresolved issues: 1", "deploy failed");
            Run alerts = cli(hub, "alerts");
            assertThat(alerts.out()).contains("AllAgentsDown", "HighErrorRate", "inactive");
            Run status = cli(hub, "status");
            assertThat(status.out()).contains("tier     4 (maintenance)", "agentCount", "errorRate", "testPassRate");
            Run trace = cli(hub, "trace", "a1");
            assertThat(trace.out()).contains("lease", "acquire", "granted token 1", "error", "report");
        }
    }

    @Test
    void selftest_exits_zero_when_every_check_passes() throws Exception {
        try (TestHub hub = new TestHub()) {
            Run one = cli(hub, "selftest", "--tool", "dm-delivery");
            assertThat(one.code()).isZero();
            assertThat(one.out()).contains("dm-delivery", "pass", "1/1 tests passing");
        }
    }
}
