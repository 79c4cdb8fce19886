package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.agenthub.server.http.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The shipped Prometheus rules pass {@code promtool check rules} and their unit tests, and every hub metric that the
 * rules and the Grafana dashboard use is one the hub really exports. Without promtool the rules checks are skipped,
 * except under {@code CI=true}, where they fail.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern METRIC = Pattern.compile("\\bhub_[a-z0-9_]+");

    @Test
    void promtool_accepts_the_rules_and_their_unit_tests_pass() throws Exception {
        boolean present =
                new ProcessBuilder("sh", "-c", "command -v promtool").start().waitFor() == 0;
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                fail("promtool is missing in CI; scripts/test-deps.sh installs Debian's prometheus package.");
            }
            Assumptions.abort("promtool is not installed (Debian package prometheus)");
        }
        assertThat(run(DEPLOY, "promtool", "check", "rules", "prometheus/alerts.yml"))
                .contains("SUCCESS");
        assertThat(run(DEPLOY.resolve("prometheus"), "promtool", "test", "rules", "alerts.test.yml"))
                .contains("SUCCESS");
    }

    @Test
    void every_metric_the_rules_and_the_dashboard_use_is_exported() throws Exception {
        Set<String> used = new TreeSet<>();
        String rules = Files.readString(DEPLOY.resolve("prometheus/alerts.yml"));
        JsonNode dashboard = JsonCodec.MAPPER.readTree(Files.readString(DEPLOY.resolve("grafana/agent-hub.json")));
        collect(rules, used);
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                collect(target.path("expr").asString(), used);
            }
            assertThat(panel.path("description").asString())
                    .as("panel %s explains itself", panel.path("title"))
                    .isNotEmpty();
        }
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(10);

        try (TestHub hub = new TestHub(Map.of("alert-daily-token-budget", "1000000"), java.time.Clock.systemUTC())) {
            String a = hub.agent("a1");
            String b = hub.agent("b1");
            hub.post(a, "/api/leases", Map.of("resource", "x"));
            hub.post(b, "/api/leases", Map.of("resource", "x"));
            hub.post(a, "/api/chat", Map.of("channel", "general", "text", "hi"));
            hub.post(a, "/api/errors", Map.of("title", "boom"));
            hub.hub().services.metrics.toolCall("lease_acquire", true, 1_000_000);
            hub.hub().services.metrics.usage("input", 1000, 0.01);
            hub.hub().selfTest.runOne("store-ping");
            hub.hub().selfTest.runAll("request");
            String scrape = hub.get(TestHub.ADMIN, "/metrics").raw().body();
            Set<String> exported = new TreeSet<>();
            collect(scrape, exported);
            assertThat(exported).as("metrics the hub exports").containsAll(used);
        }
    }

    private static void collect(String text, Set<String> into) {
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            into.add(m.group());
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }
}
