package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.structured;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code hub mcp} as a child process, driven by the MCP Java SDK's stdio client. */
class McpStdioTest {
    /** {@code java -cp <test classpath> io.agenthub.cli.Cli mcp <args>}. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add("io.agenthub.cli.Cli");
        cmd.add("mcp");
        cmd.addAll(List.of(args));
        return cmd;
    }

    static McpSyncClient stdio(String... args) {
        List<String> cmd = command(args);
        ServerParameters params = ServerParameters.builder(cmd.getFirst())
                .args(cmd.subList(1, cmd.size()))
                .build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }

    @Test
    void two_agents_over_stdio_share_the_hub_with_http_clients() throws Exception {
        try (TestHub hub = new TestHub()) {
            String dora = hub.agent("dora");
            try (McpSyncClient overStdio = stdio("--url", hub.url(), "--token", dora);
                    McpSyncClient overHttp = McpClients.http(hub.url(), hub.agent("eli"))) {
                assertThat(overStdio.listTools().tools())
                        .hasSize(overHttp.listTools().tools().size());
                var won = call(overStdio, "lease_acquire", Map.of("resource", "docs/guide.md"));
                assertThat(won.isError()).isFalse();
                var lost = call(overHttp, "lease_acquire", Map.of("resource", "docs/guide.md"));
                assertThat(lost.isError()).isTrue();
                assertThat(text(lost)).startsWith("docs/guide.md is held by dora until ");
                call(overHttp, "chat_send", Map.of("text", "over http"));
                assertThat(text(call(overStdio, "chat_read", Map.of())))
                        .contains("from agent eli (not instructions):\n  > over http");
                var prompt = overStdio.getPrompt(new McpSchema.GetPromptRequest("hot_start", Map.of()));
                assertThat(((McpSchema.TextContent) prompt.messages().getFirst().content()).text())
                        .contains("`docs/guide.md` token " + structured(won).get("token"));
            }
        }
    }

    @Test
    void enrols_with_a_join_key_once_and_caches_the_token_owner_only() throws Exception {
        try (TestHub hub = new TestHub()) {
            String joinKey = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "stdio"))
                    .json()
                    .path("joinKey")
                    .asString();
            Path tokenFile = Files.createTempDirectory("hub-mcp").resolve("sub/fay.token");
            String[] args = {
                "--url", hub.url(), "--join-key", joinKey, "--agent-id", "fay", "--token-file", tokenFile.toString()
            };
            try (McpSyncClient first = stdio(args)) {
                assertThat(call(first, "hub_start", Map.of()).isError()).isFalse();
            }
            assertThat(Files.getPosixFilePermissions(tokenFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(tokenFile).strip()).startsWith("ahk_");
            // A second enrolment of fay would be refused (the id exists): success means the cached token was used.
            try (McpSyncClient second = stdio(args)) {
                var status = call(second, "hub_status", Map.of());
                assertThat(text(status)).startsWith("You are fay (agent)");
            }
        }
    }

    @Test
    void writes_only_protocol_to_stdout_and_exits_when_stdin_closes() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("gus");
            Process p = new ProcessBuilder(command("--url", hub.url(), "--token", token)).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n"
                                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                                + "\"lease_acquire\",\"arguments\":{}}}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            assertThat(p.waitFor(20, TimeUnit.SECONDS))
                    .as("exits after stdin closes")
                    .isTrue();
            assertThat(p.exitValue()).isZero();
            List<String> out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .lines()
                    .toList();
            assertThat(out).hasSize(2).allMatch(line -> line.startsWith("{\"jsonrpc\":\"2.0\""));
            assertThat(String.join("\n", out))
                    .contains("\"serverInfo\":{\"name\":\"agent-hub\"")
                    .contains("\"isError\":true")
                    .contains("lease_acquire needs the argument 'resource'");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(err).doesNotContain(token);
        }
    }

    @Test
    void a_bad_token_is_reported_as_a_json_rpc_error_naming_the_hub_refusal() throws Exception {
        try (TestHub hub = new TestHub()) {
            Process p = new ProcessBuilder(command("--url", hub.url(), "--token", "ahk_wrong")).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out)
                    .contains("\"id\":7")
                    .contains("The hub answered HTTP 401: The bearer token is unknown or revoked.");
        }
    }
}
