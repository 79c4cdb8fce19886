package io.agenthub.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.client.Agents;
import io.agenthub.client.Hooks;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Tasks;
import io.agenthub.server.TestHub;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's one-shot mode (what {@code hub hook} uses: {@code HttpURLConnection}, no {@code HttpClient}), the hook
 * and MCP calls, and the module's independence from server code.
 */
@Timeout(120)
class HubClientOneShotTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String deadUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void one_shot_calls_map_answers_problems_and_directives_and_fail_over_like_the_default_client() throws Exception {
        HubClient admin = HubClient.builder()
                .urls(deadUrl(), hub.url())
                .token(TestHub.ADMIN)
                .oneShot()
                .build();
        assertThat(admin.ops().health().status()).isEqualTo("ok");
        String token = admin.agents()
                .create(new Agents.NewAgent("shot", "shot", null, null, Map.of("pool", "web")))
                .token();
        HubClient agent = admin.withToken(token);
        assertThat(agent.agents().whoami().id()).isEqualTo("shot");
        Tasks.Task t = admin.tasks()
                .create(new Tasks.Request("one", "body", null, null, "web", null, null, null, null, null, null));
        Tasks.Claimed claimed = agent.tasks().claim(Duration.ofMinutes(1), null).orElseThrow();
        assertThat(claimed.id()).isEqualTo(t.id());
        assertThat(agent.tasks().complete(t.id(), claimed.token(), "done").state())
                .isEqualTo("done");
        assertThat(agent.tasks().claim(Duration.ofMinutes(1), null)).isEmpty();
        admin.ops().scaleDown("web", 1);
        assertThat(agent.tasks().claim(Duration.ofMinutes(1), null)).isEmpty();
        assertThat(agent.tasks().exitRequested())
                .as("the directive header is read")
                .isTrue();
        assertThatThrownBy(() -> admin.withToken("nope").agents().whoami())
                .isInstanceOf(HubProblem.Unauthenticated.class)
                .hasMessageContaining("unknown or revoked");
        assertThatThrownBy(() -> admin.messages().events(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("oneShot");
        assertThatThrownBy(() -> HubClient.builder()
                        .urls(deadUrl())
                        .oneShot()
                        .build()
                        .ops()
                        .health())
                .isInstanceOf(HubProblem.Unreachable.class);
    }

    @Test
    void the_hook_call_passes_the_event_through_and_the_mcp_call_relays_json_rpc() throws Exception {
        String token = hub.agent("hooked");
        HubClient me =
                HubClient.builder().urls(hub.url()).token(token).oneShot().build();
        String event = "{\"session_id\":\"s1\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"hi\","
                + "\"cwd\":\"/tmp\",\"transcript_path\":\"\"}";
        String answer = me.hooks()
                .claude(
                        "user-prompt-submit",
                        event.getBytes(StandardCharsets.UTF_8),
                        new Hooks.Origin("hooked", "web", "/tmp"));
        assertThat(answer).isNotNull();
        assertThatThrownBy(() -> me.hooks()
                        .claude(
                                "user-prompt-submit",
                                event.getBytes(StandardCharsets.UTF_8),
                                new Hooks.Origin("other", "web", "/tmp")))
                .as("a hook naming another agent than the token's")
                .isInstanceOf(HubProblem.Forbidden.class);
        HubClient full = HubClient.builder().urls(hub.url()).token(token).build();
        List<String> init = full.mcp()
                .send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
        assertThat(init).hasSize(1);
        assertThat(init.get(0)).contains("\"id\":1").contains("serverInfo");
        assertThat(full.mcp().send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .isEmpty();
        assertThatThrownBy(
                        () -> full.withToken("nope").mcp().send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"))
                .isInstanceOf(HubProblem.Unauthenticated.class);
    }

    /** hub-client depends on Jackson and the JDK only: its pom and its sources name no other project code. */
    @Test
    void hub_client_depends_on_no_server_code() throws IOException {
        Path module = Path.of("..", "hub-client");
        String pom = Files.readString(module.resolve("pom.xml"));
        Matcher dep = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL)
                .matcher(pom);
        while (dep.find()) {
            assertThat(dep.group(1)).contains("<groupId>tools.jackson.core</groupId>");
        }
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ")) {
                        assertThat(line)
                                .as(f + " imports only the JDK, Jackson and the client itself")
                                .matches(
                                        "import (static )?(java\\.|javax\\.|tools\\.jackson\\.|io\\.agenthub\\.client\\.).*");
                    }
                }
            }
        }
    }
}
