package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a first-time user of the command line meets: help everywhere, listed checks, true sentences, reports. */
class CliNewcomerTest {
    private static CliRun cli(TestHub hub, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = hub.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = TestHub.ADMIN;
        return CliRun.of(all);
    }

    /** Every command and subcommand of the picocli tree, as the words that name it after {@code hub}. */
    private static void commands(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                commands(sub, next, into);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> every_command_and_subcommand_prints_its_usage_for_help() {
        List<List<String>> all = new ArrayList<>();
        commands(new CommandLine(new Cli()), new ArrayList<>(), all);
        assertThat(all).contains(List.of("agent"), List.of("agent", "add"), List.of("keys"), List.of("keys", "rotate"));
        return all.stream()
                .map(path -> DynamicTest.dynamicTest("hub " + String.join(" ", path) + " --help", () -> {
                    List<String> args = new ArrayList<>(path);
                    args.add("--help");
                    CliRun run = CliRun.of(args.toArray(String[]::new));
                    assertThat(run.code()).as(run.err()).isZero();
                    assertThat(run.out()).contains("Usage: hub" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
                    assertThat(run.err()).doesNotContain("Unknown option");
                    CommandLine command = new CommandLine(new Cli());
                    for (String name : path) {
                        command = command.getSubcommands().get(name);
                    }
                    var own = command.getCommandSpec().findOption("--version");
                    // picocli's own help command has no --version; `hub rollout canary --version V` names an agent
                    // version.
                    if (!path.contains("help") && (own == null || own.versionHelp())) {
                        args.set(args.size() - 1, "--version");
                        assertThat(CliRun.of(args.toArray(String[]::new)).out()).startsWith("Agent Hub ");
                    }
                }));
    }

    @Test
    void selftest_list_names_the_checks_that_tool_accepts() throws Exception {
        try (TestHub hub = new TestHub()) {
            CliRun list = cli(hub, "selftest", "--list");
            assertThat(list.code()).isZero();
            assertThat(list.out()).contains("CHECK", "dm-delivery", "store-ping");
            CliRun unknown = cli(hub, "selftest", "--tool", "no-such-check");
            assertThat(unknown.code()).isEqualTo(2);
            assertThat(unknown.err()).contains("hub selftest --list");
        }
    }

    @Test
    void tier_on_a_fresh_hub_says_it_never_changed_instead_of_a_date_in_1970() throws Exception {
        try (TestHub hub = new TestHub()) {
            CliRun tier = cli(hub, "tier");
            assertThat(tier.code()).isZero();
            assertThat(tier.out())
                    .contains("tier 1 (full): never changed since the hub's first start")
                    .doesNotContain("1970");
            assertThat(hub.get(TestHub.ADMIN, "/api/tier").json().path("since").isNull())
                    .isTrue();
            cli(hub, "tier", "set", "2", "--reason", "drill");
            assertThat(cli(hub, "tier").out()).contains("tier 2 (reduced) since 20", "drill");
        }
    }

    @Test
    void a_client_command_without_a_running_hub_says_connection_refused_and_how_to_start_it() {
        CliRun run = CliRun.of("agents", "--url", "http://127.0.0.1:9", "--token", "x");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .contains("cannot reach the hub at http://127.0.0.1:9: connection refused", "./hub serve")
                .doesNotContain("null");
    }

    @Test
    void export_says_what_it_wrote_on_standard_error(@TempDir Path dir) throws Exception {
        try (TestHub hub = new TestHub()) {
            hub.post(hub.agent("a1"), "/api/leases", Map.of("resource", "x"));
            Path file = dir.resolve("hub.jsonl");
            CliRun toFile = cli(hub, "export", "-o", file.toString());
            assertThat(toFile.code()).as(toFile.err()).isZero();
            assertThat(toFile.out()).isEmpty();
            assertThat(toFile.err())
                    .startsWith("Exported ")
                    .contains(" records (", "agent ", "lease 1", "to " + file, " KB");
            CliRun toStdout = cli(hub, "export");
            assertThat(toStdout.out()).startsWith("{").contains("\"type\":\"end\"");
            assertThat(toStdout.err()).contains("Exported ", "to standard output");
            assertThat(Files.size(file)).isPositive();
        }
    }
}
