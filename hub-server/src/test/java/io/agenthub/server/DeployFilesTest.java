package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.agenthub.server.wire.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * The shipped Prometheus rules pass {@code promtool check rules} and their unit tests, every hub metric that the
 * rules and the Grafana dashboard use is one the hub really exports (the counters among them from start-up, at zero),
 * and a real scrape passes {@code promtool check metrics}. Without promtool the promtool checks are skipped, except
 * under {@code CI=true}, where they fail.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern METRIC = Pattern.compile("\\bhub_[a-z0-9_]+");
    /** A series selector in PromQL: a metric name and its optional label matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(hub_[a-z0-9_]+)(?:\\{([^}]*)})?");

    private static final Pattern EQUALS = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    /**
     * Latency histograms are labelled by route or tool (and status), so their series appear with the first request
     * of each; an average or quantile of no requests is undefined in PromQL in any case (0/0).
     */
    private static final Set<String> PER_REQUEST = Set.of("hub_http_requests_seconds", "hub_mcp_tool_calls_seconds");

    @Test
    void promtool_accepts_the_rules_and_their_unit_tests_pass() throws Exception {
        requirePromtool();
        assertThat(run(DEPLOY, "promtool", "check", "rules", "prometheus/alerts.yml"))
                .contains("SUCCESS");
        assertThat(run(DEPLOY.resolve("prometheus"), "promtool", "test", "rules", "alerts.test.yml"))
                .contains("SUCCESS");
    }

    @Test
    void promtool_check_metrics_accepts_a_real_scrape() throws Exception {
        requirePromtool();
        try (TestHub hub = new TestHub()) {
            exercise(hub);
            String scrape = hub.get(TestHub.ADMIN, "/metrics").raw().body();
            assertThat(scrape).contains("jvm_memory_used_bytes", "process_cpu_seconds_total", "system_cpus");
            Process p = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(scrape.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("promtool check metrics: %s", out).isZero();
        }
    }

    @Test
    void a_fresh_hubs_first_scrape_has_every_series_the_rules_and_the_dashboard_use_with_counters_at_zero()
            throws Exception {
        Map<String, Set<Map<String, String>>> selectors = new java.util.TreeMap<>();
        selectors(Files.readString(DEPLOY.resolve("prometheus/alerts.yml")), selectors);
        JsonNode dashboard = JsonCodec.MAPPER.readTree(Files.readString(DEPLOY.resolve("grafana/agent-hub.json")));
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                selectors(target.path("expr").asString(), selectors);
            }
        }
        assertThat(selectors)
                .as("the error rate's and the conflict ratio's terms are among them")
                .containsKeys(
                        "hub_operations_total",
                        "hub_operation_failures_total",
                        "hub_lease_acquisitions_total",
                        "hub_tokens_total",
                        "hub_cost_usd_total");
        try (TestHub hub = new TestHub()) {
            Scrape first = Scrape.parse(hub.get(TestHub.ADMIN, "/metrics").raw().body());
            for (var e : selectors.entrySet()) {
                String name = e.getKey();
                if (PER_REQUEST.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                for (Map<String, String> labels : e.getValue()) {
                    List<Scrape.Sample> found = first.find(name, labels);
                    assertThat(found)
                            .as("%s%s on a fresh hub's first scrape", name, labels)
                            .isNotEmpty();
                    if (name.endsWith("_total")) {
                        assertThat(found)
                                .as("%s%s starts at zero", name, labels)
                                .allSatisfy(sample -> assertThat(sample.value()).isZero());
                    }
                }
            }
            assertThat(first.find("hub_operation_failures_total", Map.of()))
                    .as("both sources of failure, for the dashboard's split")
                    .extracting(sample -> sample.labels().get("source"))
                    .containsExactlyInAnyOrder("server", "reported");
            assertThat(first.find("hub_lease_acquisitions_total", Map.of()))
                    .extracting(sample -> sample.labels().get("outcome"))
                    .containsExactlyInAnyOrder("granted", "extended", "refused", "limit");
            assertThat(first.find("hub_tokens_total", Map.of()))
                    .extracting(sample -> sample.labels().get("kind"))
                    .containsExactlyInAnyOrder("input", "output", "cache_read", "cache_write");
        }
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
            exercise(hub);
            hub.hub().selfTest.runOne("store-ping");
            hub.hub().selfTest.runAll("request");
            String scrape = hub.get(TestHub.ADMIN, "/metrics").raw().body();
            Set<String> exported = new TreeSet<>();
            collect(scrape, exported);
            assertThat(exported).as("metrics the hub exports").containsAll(used);
        }
    }

    @Test
    void keda_scaled_object_parses_and_names_only_metrics_a_real_hub_exports() throws Exception {
        String text = Files.readString(DEPLOY.resolve("keda/scaledobject.yaml"));
        JsonNode keda = new tools.jackson.dataformat.yaml.YAMLMapper().readTree(text);
        assertThat(keda.path("kind").asString()).isEqualTo("ScaledObject");
        assertThat(keda.path("spec").path("scaleTargetRef").path("kind").asString())
                .isEqualTo("Deployment");
        Set<String> used = new TreeSet<>();
        for (JsonNode trigger : keda.path("spec").path("triggers")) {
            assertThat(trigger.path("type").asString()).isEqualTo("prometheus");
            collect(trigger.path("metadata").path("query").asString(), used);
        }
        assertThat(used).contains("hub_task_queue_depth");
        Set<String> documented = new TreeSet<>();
        collect(Files.readString(DEPLOY.resolve("keda/README.md")), documented);

        try (TestHub hub = new TestHub(Map.of(), java.time.Clock.systemUTC())) {
            String a = hub.agent("k1", Map.of("pool", "builders", "version", "v1"));
            hub.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "t", "pool", "builders"));
            TestHub.Response claim = hub.post(a, "/api/tasks/claim", Map.of());
            hub.post(
                    a,
                    "/api/tasks/" + claim.json().path("id").asString() + "/complete",
                    Map.of("token", claim.json().path("token").asLong()));
            String scrape = hub.get(TestHub.ADMIN, "/metrics").raw().body();
            Set<String> exported = new TreeSet<>();
            collect(scrape, exported);
            assertThat(exported).as("metrics the KEDA recipe queries").containsAll(used);
            assertThat(exported)
                    .as("metrics its README names")
                    .containsAll(documented.stream()
                            .map(n -> n.replaceAll("_(bucket|count|sum)$", ""))
                            .filter(n -> !n.equals("hub_task_duration_seconds"))
                            .toList());
            assertThat(exported).contains("hub_task_duration_seconds_bucket");
        }
    }

    /** Leases (one refused), chat, an error report, a usage report and an MCP tool call, all as clients send them. */
    private static void exercise(TestHub hub) throws Exception {
        String a = hub.agent("a1");
        String b = hub.agent("b1");
        assertThat(hub.post(a, "/api/leases", Map.of("resource", "x")).status()).isEqualTo(201);
        assertThat(hub.post(b, "/api/leases", Map.of("resource", "x")).status()).isEqualTo(409);
        hub.post(a, "/api/chat", Map.of("channel", "general", "text", "hi"));
        hub.post(a, "/api/errors", Map.of("title", "boom"));
        assertThat(hub.post(
                                a,
                                "/api/usage",
                                Map.of("model", "claude-haiku-4-5", "inputTokens", 1000, "outputTokens", 10))
                        .status())
                .isEqualTo(200);
        String call = JsonCodec.MAPPER.writeValueAsString(Map.of(
                "jsonrpc",
                "2.0",
                "id",
                1,
                "method",
                "tools/call",
                "params",
                Map.of("name", "lease_acquire", "arguments", Map.of("resource", "y"))));
        TestHub.Response mcp = hub.send(
                a,
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url() + "/mcp"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(call)));
        assertThat(mcp.raw().body()).as("the MCP call").contains("\"result\"").doesNotContain("\"isError\":true");
    }

    private static void selectors(String promql, Map<String, Set<Map<String, String>>> into) {
        Matcher m = SELECTOR.matcher(promql);
        while (m.find()) {
            Map<String, String> labels = new java.util.TreeMap<>();
            if (m.group(2) != null) {
                Matcher eq = EQUALS.matcher(m.group(2));
                while (eq.find()) {
                    labels.put(eq.group(1), eq.group(2));
                }
            }
            into.computeIfAbsent(m.group(1), k -> new java.util.HashSet<>()).add(labels);
        }
    }

    private static void requirePromtool() throws Exception {
        boolean present =
                new ProcessBuilder("sh", "-c", "command -v promtool").start().waitFor() == 0;
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                fail("promtool is missing in CI; scripts/test-deps.sh installs Debian's prometheus package.");
            }
            Assumptions.abort("promtool is not installed (Debian package prometheus)");
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
