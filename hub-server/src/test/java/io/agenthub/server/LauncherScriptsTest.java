package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scripts a newcomer runs first: ./hub's build shows what it is doing (Maven's batch output becomes one progress
 * line per module), and ./scripts/test.sh installs what the tests need before it runs them.
 */
class LauncherScriptsTest {
    private static final Path FILTER = Path.of("..", "scripts", "build-progress.awk");

    private static final String MAVEN = """
            [INFO] Scanning for projects...
            [INFO] Downloading from central: https://repo/x/plugin.pom
            [INFO] Downloaded from central: https://repo/x/plugin.pom (2 kB at 9 kB/s)
            [INFO] Downloaded from central: https://repo/x/plugin.jar (20 kB at 90 kB/s)
            [INFO] ------------------------< io.agenthub:hub-core >------------------------
            [INFO] Building Agent Hub core: records, services, storage SPI 0.1.0-SNAPSHOT [2/6]
            [INFO]   from hub-core/pom.xml
            [INFO] --- enforcer:3.6.2:enforce (enforce) @ hub-core ---
            [INFO] --- compiler:3.14.0:compile (default-compile) @ hub-core ---
            [INFO] Compiling 148 source files with javac [debug release 21] to target/classes
            [WARNING] /src/A.java:[1,1] redundant cast to int
            [INFO] --- jar:3.4.2:jar (default-jar) @ hub-core ---
            [INFO] -----------------------< io.agenthub:hub-server >-----------------------
            [INFO] Building Agent Hub server: HTTP API, CLI, composition root 0.1.0-SNAPSHOT [6/6]
            [INFO] --- compiler:3.14.0:compile (default-compile) @ hub-server ---
            [ERROR] /src/B.java:[3,4] cannot find symbol
            [INFO] Total time:  47.692 s
            """;

    @Test
    void maven_output_becomes_one_line_per_module_with_downloads_goals_and_errors() throws Exception {
        Process p = new ProcessBuilder("awk", "-f", FILTER.toString()).start();
        p.getOutputStream().write(MAVEN.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).isEqualTo("""
                          downloading plugins and libraries from Maven Central ..
                          [2/6] hub-core: compile jar
                          [6/6] hub-server: compile
                        [ERROR] /src/B.java:[3,4] cannot find symbol
                          built in 47.692 s
                        """);
    }

    @Test
    void the_test_command_installs_the_packages_the_tests_use_before_running_them() throws Exception {
        String test = Files.readString(Path.of("..", "scripts", "test.sh"));
        assertThat(test.indexOf("./scripts/test-deps.sh"))
                .as("test.sh runs test-deps.sh")
                .isPositive()
                .isLessThan(test.indexOf("mvnw"));
        String deps = Files.readString(Path.of("..", "scripts", "test-deps.sh"));
        for (String tool : new String[] {"redis-server", "npm", "openssl", "promtool", "curl", "jq"}) {
            assertThat(deps).as("test-deps.sh looks for %s", tool).contains("command -v " + tool + " ");
        }
    }

    @Test
    void the_hub_launcher_runs_its_build_through_the_progress_filter() throws Exception {
        String launcher = Files.readString(Path.of("..", "hub"));
        assertThat(launcher).contains("scripts/build-progress.awk").doesNotContain("mvnw -q");
    }
}
