package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CLI against a running hub, as an operator would use it. */
class CliTest {
    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.run(args);
            assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void agent_add_prints_a_working_token_and_agents_prints_a_table() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = run(
                            "agent",
                            "add",
                            "cli-agent",
                            "--url",
                            hub.url(),
                            "--token",
                            TestHub.ADMIN,
                            "--label",
                            "pool=web")
                    .strip();
            assertThat(token).startsWith("ahk_");
            assertThat(hub.get(token, "/api/whoami").json().path("id").asString())
                    .isEqualTo("cli-agent");

            String table = run("agents", "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(table).contains("ID", "PRESENCE", "cli-agent", "1 agent(s)");

            hub.post(token, "/api/leases", java.util.Map.of("resource", "cli.txt"));
            String status = run("status", "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(status).contains("hub      ok", "leases   1 active", "cli.txt");
        }
    }

    @Test
    void client_commands_fail_with_a_clear_message_when_no_hub_answers() {
        assertThat(Cli.run("agents", "--url", "http://127.0.0.1:9", "--token", "x"))
                .isEqualTo(2);
    }
}
