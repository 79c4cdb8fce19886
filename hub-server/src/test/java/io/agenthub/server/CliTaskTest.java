package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code hub task add|list|show|cancel} against a running hub. */
class CliTaskTest {
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
    void an_operator_adds_lists_shows_and_cancels_tasks() throws Exception {
        try (TestHub hub = new TestHub()) {
            CliRun added = cli(
                    hub,
                    "task",
                    "add",
                    "Fix the build",
                    "--pool",
                    "builders",
                    "--label",
                    "ci",
                    "--priority",
                    "5",
                    "--body",
                    "make it green");
            assertThat(added.code()).as(added.err()).isZero();
            assertThat(added.out()).startsWith("t-1 queued in pool builders");
            CliRun second = cli(hub, "task", "add", "Deploy", "--depends-on", "t-1", "--pool", "builders");
            assertThat(second.out()).contains("t-2 queued", "waiting on 1 task(s)");

            String worker = hub.agent("w", Map.of("pool", "builders"));
            assertThat(hub.post(worker, "/api/tasks/claim", Map.of()).status()).isEqualTo(200);

            CliRun list = cli(hub, "task", "list", "--pool", "builders");
            assertThat(list.out()).contains("ID", "t-1", "claimed", "w", "Fix the build", "t-2", "queued");
            assertThat(cli(hub, "task", "list", "--label", "ci").out()).doesNotContain("Deploy");

            CliRun show = cli(hub, "task", "show", "t-1");
            assertThat(show.out())
                    .contains("t-1 Fix the build", "state claimed", "make it green", "created", "claimed");

            CliRun cancel = cli(hub, "task", "cancel", "t-2", "--reason", "not needed");
            assertThat(cancel.out()).contains("t-2 cancelled");
            CliRun again = cli(hub, "task", "cancel", "t-2");
            assertThat(again.code()).isNotZero();
            assertThat(again.err()).contains("already cancelled");
        }
    }
}
