package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.wire.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** hub claude init writes, merges without clobbering, is idempotent, and --check says what is missing. */
class ClaudeInitTest {
    @TempDir
    Path dir;

    @Test
    void init_merges_into_existing_settings_idempotently_and_never_writes_a_token() throws Exception {
        Files.createDirectories(dir.resolve(".claude"));
        Files.writeString(
                dir.resolve(".claude/settings.json"),
                "{\"permissions\":{\"allow\":[\"Bash(ls)\"]},\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\","
                        + "\"hooks\":[{\"type\":\"command\",\"command\":\"./lint.sh\"}]}]}}");
        Files.writeString(dir.resolve("CLAUDE.md"), "# Project\n");
        String[] args = {"claude", "init", "--dir", dir.toString(), "--repo", "web", "--url", "http://127.0.0.1:1"};
        assertThat(CliRun.of(args).code()).isZero();
        String settings = Files.readString(dir.resolve(".claude/settings.json"));
        String mcp = Files.readString(dir.resolve(".mcp.json"));
        String md = Files.readString(dir.resolve("CLAUDE.md"));
        assertThat(CliRun.of(args).code()).isZero();
        assertThat(Files.readString(dir.resolve(".claude/settings.json"))).isEqualTo(settings);
        assertThat(Files.readString(dir.resolve(".mcp.json"))).isEqualTo(mcp);
        assertThat(Files.readString(dir.resolve("CLAUDE.md"))).isEqualTo(md);

        JsonNode s = JsonCodec.MAPPER.readTree(settings);
        assertThat(s.at("/permissions/allow/0").asString()).isEqualTo("Bash(ls)");
        assertThat(s.at("/hooks/PreToolUse").toString()).contains("./lint.sh").contains("/hooks/claude/pre-tool-use");
        assertThat(s.at("/hooks/PreToolUse/1/matcher").asString()).isEqualTo("Edit|Write|MultiEdit|NotebookEdit");
        JsonNode hook = s.at("/hooks/PreToolUse/1/hooks/0");
        assertThat(hook.path("type").asString()).isEqualTo("http");
        assertThat(hook.at("/headers/Authorization").asString()).isEqualTo("Bearer ${HUB_TOKEN}");
        assertThat(hook.at("/headers/X-Hub-Repository").asString()).isEqualTo("web");
        assertThat(hook.path("allowedEnvVars").toString()).contains("HUB_TOKEN");
        for (String event : new String[] {"SessionStart", "UserPromptSubmit", "PreCompact", "Stop", "SessionEnd"}) {
            assertThat(s.path("hooks").has(event)).as(event).isTrue();
        }
        assertThat(mcp).contains("\"url\" : \"http://127.0.0.1:1/mcp\"").contains("Bearer ${HUB_TOKEN}");
        assertThat(md).startsWith("# Project\n").contains("web/<path from the repository root>");
        assertThat(md.split("agent-hub:begin", -1)).hasSize(2);
    }

    @Test
    void check_reports_what_is_missing() {
        CliRun run = CliRun.of("claude", "init", "--check", "--dir", dir.toString(), "--url", "http://127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out())
                .contains("missing  .mcp.json has no agent-hub server")
                .contains("missing  hook PreToolUse");
    }
}
