package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's curl walkthrough and its copy of the guide's quick reference, taken from README.md itself and run with
 * bash, curl and jq against a fresh hub: every call gets a 2xx answer, and the answers say what the README says they
 * do. A README that drifts from the API fails here.
 */
class ReadmeWalkthroughTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String FIRST_LINE = "export HUB=http://127.0.0.1:7700 ADMIN=$(cat hub-data/admin-token)";
    private static final Pattern CALL = Pattern.compile("(?m)(^|\\$\\()curl ");

    /**
     * Wraps curl to record each call's command, HTTP status, exit code and body under {@code $CALLS}. Long-polls wait
     * one second instead of thirty, and the event stream ({@code -sN}) is read for two seconds.
     */
    private static final String PRELUDE = """
            set -euo pipefail
            curl() {
              local n rc=0 a args=() extra=()
              n=$(( $(cat "$CALLS/n" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$CALLS/n"
              for a in "$@"; do args+=("${a//wait=30/wait=1}"); done
              if [[ "$1" == "-sN" ]]; then extra=(--max-time 2); fi
              printf '%s\\n' "$*" > "$CALLS/$n.cmd"
              command curl "${extra[@]}" -o "$CALLS/$n.body" -w '%{http_code}' "${args[@]}" > "$CALLS/$n.status" || rc=$?
              echo "$rc" > "$CALLS/$n.rc"
              cat "$CALLS/$n.body"
              if [[ "$1" == "-sN" && $rc -eq 28 ]]; then return 0; fi
              return "$rc"
            }
            """;

    record Call(String command, int status, int exit, String body) {}

    @Test
    void the_readme_curl_walkthrough_and_quick_reference_get_an_answer_to_every_call_on_a_fresh_hub() throws Exception {
        requireTools("bash", "curl", "jq");
        String readme = Files.readString(README);
        String walkthrough = bashBlockAfter(readme, "## An agent's life, with curl");
        String quickReference = bashBlockAfter(readme, "The deployment guide's quick reference");
        assertThat(walkthrough.lines().findFirst().orElseThrow())
                .as("the walkthrough starts by setting HUB and ADMIN, which this test sets for its own hub")
                .isEqualTo(FIRST_LINE);
        String script = walkthrough.substring(walkthrough.indexOf('\n') + 1) + quickReference;
        int expectedCalls = count(CALL.matcher(script));

        Path calls = Files.createTempDirectory("readme-calls");
        try (TestHub hub = new TestHub()) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", PRELUDE + script)
                    .directory(calls.toFile())
                    .redirectOutput(calls.resolve("stdout").toFile())
                    .redirectError(calls.resolve("stderr").toFile());
            pb.environment().put("HUB", hub.url());
            pb.environment().put("ADMIN", TestHub.ADMIN);
            pb.environment().put("CALLS", calls.toString());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the walkthrough did not finish within 120 s");
            }
            String err = Files.readString(calls.resolve("stderr"));
            assertThat(p.exitValue())
                    .as("exit code of the walkthrough; stderr:\n%s", err)
                    .isZero();

            List<Call> made = read(calls);
            assertThat(made).as("every curl of the README ran").hasSize(expectedCalls);
            for (Call c : made) {
                assertThat(c.status())
                        .as("%s answered %s", c.command(), c.body())
                        .isBetween(200, 299);
                // The event stream never ends by itself: the wrapper stops reading it after two seconds (exit 28).
                assertThat(c.exit())
                        .as("curl's exit code for %s", c.command())
                        .isEqualTo(c.command().startsWith("-sN ") ? 28 : 0);
                assertThat(c.body()).as(c.command()).isNotBlank().doesNotContain("Exception", "<html");
            }
            assertThat(answer(made, "-X POST " + hub.url() + "/api/agents ")
                            .path("token")
                            .asString())
                    .startsWith("ahk_");
            Call acquire = only(made, "\"resource\":\"src/auth/login.ts\",\"ttlSeconds\":600");
            assertThat(acquire.status()).isEqualTo(201);
            long token = json(acquire).path("token").asLong();
            Call release = only(made, "/api/leases/release");
            assertThat(release.command())
                    .as("the release sends the acquire's token")
                    .contains("\"token\":" + token);
            assertThat(only(made, "/api/chat?channel=general&limit=50").body()).contains("login fix is ready");
            assertThat(only(made, "/api/memories?q=").body()).contains("cached for 5 minutes");
            assertThat(only(made, "/api/hot-start?format=markdown").body()).isNotBlank();
            assertThat(answer(made, "/api/tools-test ").path("failed").asInt()).isZero();
            assertThat(hub.get(TestHub.ADMIN, "/api/leases")
                            .json()
                            .path("leases")
                            .toString())
                    .as("the file's lease was released; only the zone is left")
                    .doesNotContain("\"src/auth/login.ts\"")
                    .contains("\"src/auth/\"");
        }
    }

    /** The first bash code block after {@code marker}. */
    static String bashBlockAfter(String readme, String marker) {
        int at = readme.indexOf(marker);
        assertThat(at).as("README has %s", marker).isNotNegative();
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        int end = readme.indexOf("```\n", start);
        return readme.substring(start, end);
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static List<Call> read(Path dir) throws Exception {
        List<Call> calls = new ArrayList<>();
        for (int i = 1; Files.exists(dir.resolve(i + ".cmd")); i++) {
            calls.add(new Call(
                    Files.readString(dir.resolve(i + ".cmd")).strip(),
                    Integer.parseInt(
                            Files.readString(dir.resolve(i + ".status")).strip()),
                    Integer.parseInt(Files.readString(dir.resolve(i + ".rc")).strip()),
                    Files.readString(dir.resolve(i + ".body"), StandardCharsets.UTF_8)));
        }
        return calls;
    }

    private static Call only(List<Call> calls, String part) {
        List<Call> found =
                calls.stream().filter(c -> c.command().contains(part)).toList();
        assertThat(found).as("one call contains %s", part).hasSize(1);
        return found.getFirst();
    }

    private static JsonNode answer(List<Call> calls, String part) {
        return json(only(calls, part));
    }

    private static JsonNode json(Call c) {
        return io.agenthub.server.wire.JsonCodec.MAPPER.readTree(c.body());
    }

    static void requireTools(String... tools) throws Exception {
        for (String tool : tools) {
            if (new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() != 0) {
                if ("true".equals(System.getenv("CI"))) {
                    fail(tool + " is missing in CI; scripts/test-deps.sh installs it.");
                }
                Assumptions.abort(tool + " is not installed (scripts/test-deps.sh installs it)");
            }
        }
    }
}
