package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.agenthub.agent.AgentService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.errorlog.ErrorLogService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven through chromedriver. Skipped when they are not
 * installed, unless {@code CI=true} (then missing browsers fail the build). {@code -Ddashboard.screenshot=docs/...}
 * saves the overview with some agents.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Principal ADMIN = new Principal(Principal.ADMIN_ID, Role.ADMIN);

    @BeforeAll
    static void browser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but chromium or chromedriver is missing: run scripts/test-deps.sh.");
            }
            Assumptions.abort("chromium and chromium-driver are not installed (scripts/test-deps.sh installs them)");
        }
    }

    private static WebDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--disable-gpu");
        // A service per browser: quitting a driver stops its service.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** How long to wait where timing is not what a test checks: the machine may be busy. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static By agentRow(String id) {
        return By.cssSelector("tr[data-agent='" + id + "']");
    }

    private static WebDriverWait waitUp(WebDriver d, Duration timeout) {
        WebDriverWait w = new WebDriverWait(d, timeout);
        w.pollingEvery(Duration.ofMillis(20));
        return w;
    }

    private static void login(WebDriver d, TestHub hub, String token) {
        login(d, hub.url(), token);
    }

    private static void login(WebDriver d, String base, String token) {
        d.get(base + "/");
        waitUp(d, PATIENCE).until(ExpectedConditions.urlContains("login.html"));
        waitUp(d, PATIENCE).until(ExpectedConditions.elementToBeClickable(By.id("token")));
        d.findElement(By.id("token")).sendKeys(token);
        d.findElement(By.id("login-button")).click();
        waitUp(d, PATIENCE)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main[data-ready='true']")));
    }

    private static void show(WebDriver d, String view) {
        waitUp(d, PATIENCE).until(ExpectedConditions.elementToBeClickable(By.id("nav-" + view)));
        d.findElement(By.id("nav-" + view)).click();
        waitUp(d, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.id(view)));
    }

    @Test
    void an_admin_sees_agents_leases_and_chat_arrive_live_and_sets_the_tier() throws Exception {
        try (TestHub hub = new TestHub()) {
            WebDriver d = open();
            try {
                String[] tasks = {"auth refactor", "flaky test triage", "API docs", "release notes", "", "db migration"
                };
                for (int i = 1; i <= 6; i++) {
                    String builder = hub.agent(
                            "builder-" + i, Map.of("pool", i % 2 == 0 ? "backend" : "frontend", "version", "1.4." + i));
                    if (i <= 5) {
                        assertThat(hub.post(
                                                builder,
                                                "/api/heartbeat",
                                                Map.of(
                                                        "status",
                                                        tasks[i - 1].isEmpty() ? "idle" : "busy",
                                                        "currentTask",
                                                        tasks[i - 1],
                                                        "contextTokens",
                                                        40_000L * i))
                                        .status())
                                .isEqualTo(200);
                    }
                }
                login(d, hub, TestHub.ADMIN);
                show(d, "agents");
                waitUp(d, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(agentRow("builder-6")));
                // The page notes (by the machine's clock, shared with this test) when the row appears; WebDriver's
                // polling, slow on a loaded machine, does not count against the hub.
                JavascriptExecutor js = (JavascriptExecutor) d;
                js.executeScript("window.__seen = null; new MutationObserver((l, o) => {"
                        + " if (document.querySelector(\"tr[data-agent='newcomer']\")) {"
                        + " window.__seen = Date.now(); o.disconnect(); } })"
                        + ".observe(document.getElementById('view'), {childList: true, subtree: true});");
                String token = hub.agent("newcomer", Map.of("pool", "backend"));
                long registered = System.currentTimeMillis();
                waitUp(d, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(agentRow("newcomer")));
                long seen = ((Number) js.executeScript("return window.__seen")).longValue();
                assertThat(seen - registered)
                        .as("ms from the registration to the row on the page")
                        .isLessThan(1000);

                show(d, "leases");
                assertThat(hub.post(token, "/api/leases", Map.of("resource", "src/app.ts"))
                                .status())
                        .isEqualTo(201);
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector("tr[data-resource='src/app.ts']")));

                show(d, "chat");
                assertThat(hub.post(token, "/api/chat", Map.of("channel", "general", "text", "hello from newcomer"))
                                .status())
                        .isEqualTo(201);
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.id("chat"), "hello from newcomer"));

                // The charts (and uPlot) load when their view opens.
                show(d, "charts");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector("#chart-box[data-ready='true'] .uplot")));

                show(d, "overview");
                String shot = System.getProperty("dashboard.screenshot");
                if (shot != null && !shot.isBlank()) {
                    assertThat(hub.get(TestHub.ADMIN, "/api/tools-test").status())
                            .isEqualTo(200);
                    waitUp(d, PATIENCE)
                            .until(ExpectedConditions.textToBePresentInElementLocated(
                                    By.id("selftest-card"), "passing"));
                    Path target = Path.of(shot);
                    Files.createDirectories(target.toAbsolutePath().getParent());
                    Files.write(target, ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
                }
                new org.openqa.selenium.support.ui.Select(d.findElement(By.id("tier-select"))).selectByValue("2");
                d.findElement(By.id("tier-set")).click();
                waitUp(d, PATIENCE).until(ExpectedConditions.alertIsPresent());
                d.switchTo().alert().accept();
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-card"), "2 ("));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Done: Set tier 2"));
                assertThat(hub.get(TestHub.ADMIN, "/api/tier")
                                .json()
                                .path("tier")
                                .asInt())
                        .isEqualTo(2);
                assertThat(hub.get(TestHub.ADMIN, "/api/audit").raw().body()).contains("tier");
            } finally {
                d.quit();
            }
        }
    }

    private static String canary(TestHub hub, String pool) {
        TestHub.Response r = hub.post(
                TestHub.ADMIN,
                "/api/rollouts/" + pool + "/canary",
                Map.of("version", "2.0", "baseline", "1.0", "steps", "10,50,100", "hold", "1h"));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().path("stage").asString();
    }

    @Test
    void an_admin_sees_a_task_arrive_in_the_queue_reads_the_pools_and_pauses_a_canary() throws Exception {
        try (TestHub hub = new TestHub(Map.of("rate-limit-writes", "0"), java.time.Clock.systemUTC())) {
            String old = hub.agent("old-1", Map.of("pool", "backend", "version", "1.0"));
            String fresh = hub.agent("new-1", Map.of("pool", "backend", "version", "2.0"));
            for (String t : List.of(old, fresh)) {
                assertThat(hub.post(t, "/api/heartbeat", Map.of("status", "idle"))
                                .status())
                        .isEqualTo(200);
            }
            assertThat(hub.post(old, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 5000))
                            .status())
                    .isEqualTo(200);
            assertThat(canary(hub, "backend")).isEqualTo("running");
            WebDriver d = open();
            try {
                login(d, hub, TestHub.ADMIN);
                show(d, "queue");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector("#queue-pools tr[data-pool='backend']")));
                TestHub.Response task =
                        hub.post(old, "/api/tasks", Map.of("title", "migrate the billing tables", "pool", "backend"));
                assertThat(task.status()).isEqualTo(201);
                String id = task.json().path("id").asString();
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.cssSelector("#tasks-queued tr[data-task='" + id + "'] .task-title"),
                                "migrate the billing tables"));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBe(
                                By.cssSelector("#queue-pools tr[data-pool='backend'] .queue-depth"), "1"));

                show(d, "pools");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector(".pool[data-pool='backend'] tr[data-version='2.0']")));
                // Re-found on every poll: the view is drawn again when the pools change (a stale element otherwise).
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.cssSelector(".pool[data-pool='backend']"), "2 online of 2"));

                show(d, "rollouts");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage-backend"), "running"));
                d.findElement(By.cssSelector("[data-rollout='backend'] button[data-action='pause']"))
                        .click();
                waitUp(d, PATIENCE).until(ExpectedConditions.alertIsPresent());
                assertThat(d.switchTo().alert().getText()).isEqualTo("Pause the rollout of pool backend?");
                d.switchTo().alert().accept();
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.id("notice"), "Done: Pause the rollout of pool backend: stage paused"));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage-backend"), "paused"));
                assertThat(hub.get(TestHub.ADMIN, "/api/rollouts/backend")
                                .json()
                                .path("stage")
                                .asString())
                        .isEqualTo("paused");
                assertThat(hub.get(TestHub.ADMIN, "/api/audit").raw().body()).contains("rollout.pause");
                // The resume button replaced the pause button without a reload.
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector("[data-rollout='backend'] button[data-action='resume']")));

                show(d, "charts");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector("#chart-box[data-ready='true'] #chart-tokens-pool .uplot")));
                assertThat(d.findElement(By.id("chart-tokens-pool")).getText())
                        .contains("Tokens per hour by pool")
                        .contains("backend");
                new org.openqa.selenium.support.ui.Select(d.findElement(By.id("chart-range"))).selectByValue("48h");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.id("chart-box"), "One point per 1 h"));
            } finally {
                d.quit();
            }
        }
    }

    /** Posts a change from the page as the logged-in person, with the session's CSRF token; returns the status. */
    private static int postFromPage(WebDriver d, String path, String json) {
        Object status = ((JavascriptExecutor) d)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('api/dashboard/session').then(r => r.json()).then(me => fetch(arguments[0],"
                                + " {method: 'POST', headers: {'X-Hub-CSRF': me.csrf, 'Content-Type':"
                                + " 'application/json'}, body: arguments[1]})).then(r => done(r.status));",
                        path,
                        json);
        return ((Number) status).intValue();
    }

    private static void confirm(WebDriver d, String question) {
        waitUp(d, PATIENCE).until(ExpectedConditions.alertIsPresent());
        assertThat(d.switchTo().alert().getText()).isEqualTo(question);
        d.switchTo().alert().accept();
    }

    @Test
    void an_admin_switches_a_blue_green_and_toggles_a_flag_and_a_viewer_is_refused_both() throws Exception {
        try (TestHub hub = new TestHub(Map.of("rate-limit-writes", "0"), java.time.Clock.systemUTC())) {
            hub.agent("blue-1", Map.of("pool", "web", "version", "1.0"));
            hub.agent("green-1", Map.of("pool", "web", "version", "2.0"));
            TestHub.Response bg =
                    hub.post(TestHub.ADMIN, "/api/rollouts/web/bluegreen", Map.of("green", "2.0", "blue", "1.0"));
            assertThat(bg.status()).as(bg.raw().body()).isEqualTo(201);
            assertThat(bg.json().path("stage").asString()).isEqualTo("testing");
            TestHub.Response flag = hub.post(
                    TestHub.ADMIN,
                    "/api/flags/new-checkout",
                    Map.of(
                            "type",
                            "boolean",
                            "defaultValue",
                            false,
                            "enabled",
                            true,
                            "description",
                            "the new checkout"));
            assertThat(flag.status()).as(flag.raw().body()).isEqualTo(200);
            String viewer = hub.viewer("watcher");
            WebDriver d = open();
            try {
                login(d, hub, TestHub.ADMIN);
                show(d, "rollouts");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage-web"), "testing"));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.cssSelector("[data-rollout='web'] .colours"), "production: blue"));
                d.findElement(By.cssSelector("[data-rollout='web'] button[data-action='switch']"))
                        .click();
                confirm(d, "Switch (force) the rollout of pool web?");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.id("notice"), "Done: Switch (force) the rollout of pool web: stage switched"));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage-web"), "switched"));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.cssSelector("[data-rollout='web'] .colours"), "production: green"));
                assertThat(hub.get(TestHub.ADMIN, "/api/rollouts/web")
                                .json()
                                .path("stage")
                                .asString())
                        .isEqualTo("switched");

                By flagRow = By.cssSelector("tr[data-flag='new-checkout']");
                waitUp(d, PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(flagRow, "on"));
                d.findElement(By.cssSelector("tr[data-flag='new-checkout'] button.flag-toggle"))
                        .click();
                confirm(d, "Disable flag new-checkout?");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.id("notice"), "Done: Disable flag new-checkout"));
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBe(
                                By.cssSelector("tr[data-flag='new-checkout'] td:nth-child(3)"), "off"));
                assertThat(hub.get(TestHub.ADMIN, "/api/flags/definitions")
                                .raw()
                                .body())
                        .contains("\"enabled\":false");

                // Both actions are audited, and the audit view shows them live.
                show(d, "audit");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "flag.set"));
                assertThat(d.findElement(By.id("audit")).getText()).contains("rollout.switch");
                String audit = hub.get(TestHub.ADMIN, "/api/audit").raw().body();
                assertThat(audit).contains("rollout.switch").contains("flag.set");
            } finally {
                d.quit();
            }

            WebDriver v = open();
            try {
                login(v, hub, viewer);
                show(v, "rollouts");
                waitUp(v, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage-web"), "switched"));
                assertThat(v.findElements(By.cssSelector("button.rollout-action, #flag-list, button.flag-toggle")))
                        .isEmpty();
                assertThat(postFromPage(v, "api/rollouts/web/rollback", "{}")).isEqualTo(403);
                assertThat(postFromPage(
                                v,
                                "api/flags/new-checkout",
                                "{\"type\": \"boolean\", \"defaultValue\": false, \"enabled\": true}"))
                        .isEqualTo(403);
                assertThat(hub.get(TestHub.ADMIN, "/api/rollouts/web")
                                .json()
                                .path("stage")
                                .asString())
                        .isEqualTo("switched");
                assertThat(hub.get(TestHub.ADMIN, "/api/flags/definitions")
                                .raw()
                                .body())
                        .contains("\"enabled\":false");
            } finally {
                v.quit();
            }
        }
    }

    private static void setTier(WebDriver d, String tier) {
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("tier-select"))).selectByValue(tier);
        d.findElement(By.id("tier-set")).click();
        waitUp(d, PATIENCE).until(ExpectedConditions.alertIsPresent());
        d.switchTo().alert().accept();
        waitUp(d, PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-card"), tier + " ("));
    }

    @Test
    void the_dashboard_works_behind_a_reverse_proxy_that_strips_a_path_prefix() throws Exception {
        try (PrefixProxy proxy = new PrefixProxy("/hub");
                TestHub hub = new TestHub(Map.of("public-url", proxy.url()), java.time.Clock.systemUTC())) {
            proxy.to(hub.url());
            WebDriver d = open();
            try {
                login(d, proxy.url(), TestHub.ADMIN);
                assertThat(d.getCurrentUrl()).startsWith(proxy.url() + "/");
                // The cookie belongs to the prefix (public-url's path), not to the whole host.
                assertThat(d.manage().getCookieNamed("hub_session").getPath()).isEqualTo("/hub/");
                show(d, "agents");
                hub.agent("behind-the-proxy");
                waitUp(d, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(agentRow("behind-the-proxy")));
                show(d, "overview");
                setTier(d, "2");
                assertThat(hub.get(TestHub.ADMIN, "/api/tier")
                                .json()
                                .path("tier")
                                .asInt())
                        .isEqualTo(2);
                show(d, "charts");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector("#chart-box[data-ready='true'] .uplot")));
                // hub dashboard's one-time link points at the proxy's address.
                assertThat(hub.post(TestHub.ADMIN, "/api/dashboard/links", Map.of())
                                .json()
                                .path("url")
                                .asString())
                        .startsWith(proxy.url() + "/login.html#code=");
            } finally {
                d.quit();
            }
        }
    }

    @Test
    void a_viewer_sees_no_admin_controls_and_is_refused_an_admin_action() throws Exception {
        try (TestHub hub = new TestHub()) {
            String viewer = hub.viewer("watcher");
            String agent = hub.agent("worker-1");
            assertThat(hub.post(agent, "/api/dm", Map.of("to", "watcher", "text", "a private word"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(agent, "/api/chat", Map.of("channel", "general", "text", "a public word"))
                            .status())
                    .isEqualTo(201);
            hub.agent("old-1", Map.of("pool", "backend", "version", "1.0"));
            assertThat(canary(hub, "backend")).isEqualTo("running");
            WebDriver d = open();
            try {
                login(d, hub, viewer);
                // A viewer reads the rollouts, with neither their actions nor the flags (admin only).
                show(d, "rollouts");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage-backend"), "running"));
                assertThat(d.findElements(By.cssSelector("button.rollout-action, #rollout-start, #flag-list")))
                        .isEmpty();
                assertThat(d.findElements(By.id("nav-audit"))).isEmpty();
                assertThat(d.findElements(By.id("tier-set"))).isEmpty();
                assertThat(d.findElements(By.cssSelector(".admin-box, button.force-release, button.resolve")))
                        .isEmpty();
                show(d, "chat");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "a public word"));
                assertThat(d.findElement(By.id("chat")).getText()).doesNotContain("a private word");
                assertThat(d.findElements(By.cssSelector("#chat .msg-dm"))).isEmpty();
                Object status = ((JavascriptExecutor) d)
                        .executeAsyncScript("const done = arguments[arguments.length - 1];"
                                + "fetch('api/dashboard/session').then(r => r.json()).then(me => fetch('api/tier',"
                                + " {method: 'POST', headers: {'X-Hub-CSRF': me.csrf, 'Content-Type':"
                                + " 'application/json'}, body: '{\"tier\": 3}'})).then(r => done(r.status));");
                assertThat(((Number) status).intValue()).isEqualTo(403);
                Object pause = ((JavascriptExecutor) d)
                        .executeAsyncScript("const done = arguments[arguments.length - 1];"
                                + "fetch('api/dashboard/session').then(r => r.json()).then(me =>"
                                + " fetch('api/rollouts/backend/pause', {method: 'POST', headers: {'X-Hub-CSRF':"
                                + " me.csrf, 'Content-Type': 'application/json'}, body: '{}'})).then(r =>"
                                + " done(r.status));");
                assertThat(((Number) pause).intValue()).isEqualTo(403);
                assertThat(hub.get(TestHub.ADMIN, "/api/rollouts/backend")
                                .json()
                                .path("stage")
                                .asString())
                        .isEqualTo("running");
                assertThat(hub.get(TestHub.ADMIN, "/api/tier")
                                .json()
                                .path("tier")
                                .asInt())
                        .isEqualTo(1);
            } finally {
                d.quit();
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double cpuMillisPerSecond(Duration over) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        Thread.sleep(over);
        return (os.getProcessCpuTime() - cpu) / 1e6 / ((System.nanoTime() - wall) / 1e9);
    }

    /** Payloads that would run script or add elements if anything were rendered as HTML. */
    static List<String> xssCorpus() {
        String[] sinks = {
            "<img src=x onerror=\"window.__xss=1\" data-xss>",
            "<svg onload=\"window.__xss=1\" data-xss></svg>",
            "<script data-xss>window.__xss=1</script>",
            "\"><img src=x onerror=alert(1) data-xss>",
            "'><svg/onload=alert(1) data-xss>",
            "<iframe data-xss src=\"javascript:window.__xss=1\"></iframe>",
            "<a data-xss href=\"javascript:window.__xss=1\">x</a>",
            "<body onload=\"window.__xss=1\" data-xss>",
            "<details data-xss open ontoggle=\"window.__xss=1\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=1\" data-xss>",
            "<input data-xss autofocus onfocus=\"window.__xss=1\">",
            "<video data-xss><source onerror=\"window.__xss=1\"></video>",
            "<object data-xss data=\"javascript:window.__xss=1\"></object>",
        };
        String[] wrappers = {"%s", "</td>%s", "</textarea>%s", "--!>%s"};
        List<String> out = new ArrayList<>();
        for (String w : wrappers) {
            for (String s : sinks) {
                out.add(w.formatted(s));
            }
        }
        out.add("${alert(1)}");
        out.add("{{constructor.constructor('window.__xss=1')()}}");
        out.add("javascript:window.__xss=1");
        return out;
    }

    @Test
    void an_xss_corpus_in_names_chat_memories_and_errors_runs_no_script_and_adds_no_element() throws Exception {
        List<String> corpus = xssCorpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);
        // One agent posts the whole corpus at once: the chat, memory and error limits are RateLimitApiTest's subject.
        Map<String, String> unlimited = Map.of(
                "rate-limit-chat", "0", "rate-limit-memories", "0", "rate-limit-errors", "0", "rate-limit-writes", "0");
        try (TestHub hub = new TestHub(unlimited, java.time.Clock.systemUTC())) {
            String token = hub.agent("mallory");
            int i = 0;
            for (String p : corpus) {
                assertThat(hub.post(TestHub.ADMIN, "/api/agents", Map.of("id", "x" + i++, "name", p))
                                .status())
                        .isEqualTo(201);
                assertThat(hub.post(token, "/api/chat", Map.of("channel", "general", "text", p))
                                .status())
                        .isEqualTo(201);
            }
            for (String p : corpus.subList(0, 20)) {
                assertThat(hub.post(
                                        token,
                                        "/api/memories",
                                        Map.of("category", "warning", "content", p, "tags", List.of("xss")))
                                .status())
                        .isEqualTo(201);
                hub.hub()
                        .services
                        .errors
                        .report(
                                new Principal("mallory", Role.AGENT),
                                new ErrorLogService.NewError(p, p, "error", p, null, Map.of(), null));
            }
            hub.post(token, "/api/leases", Map.of("resource", "<img src=x onerror=alert(1) data-xss>.ts"));
            // Task titles and pool names in the queue and pools views; versions and decisions in the rollouts view.
            // (Task pools are ids; an agent's pool and version labels are free text, so they carry the payloads.)
            for (String p : corpus) {
                assertThat(hub.post(token, "/api/tasks", Map.of("title", p)).status())
                        .isEqualTo(201);
            }
            for (int j = 0; j < 20; j++) {
                String p = corpus.get(j);
                assertThat(hub.post(
                                        TestHub.ADMIN,
                                        "/api/agents",
                                        Map.of(
                                                "id",
                                                "p" + j,
                                                "name",
                                                "p" + j,
                                                "labels",
                                                Map.of("pool", p, "version", p)))
                                .status())
                        .isEqualTo(201);
            }
            String version = "<img src=x onerror=\"window.__xss=1\" data-xss>";
            assertThat(hub.post(
                                    TestHub.ADMIN,
                                    "/api/rollouts/xss/canary",
                                    Map.of("version", version, "baseline", "</td>" + version))
                            .status())
                    .isEqualTo(201);
            WebDriver d = open();
            try {
                login(d, hub, TestHub.ADMIN);
                JavascriptExecutor js = (JavascriptExecutor) d;
                Map<String, By> filled = new java.util.LinkedHashMap<>();
                filled.put("agents", agentRow("x" + (corpus.size() - 1)));
                filled.put("chat", By.cssSelector("#chat li.msg"));
                filled.put("memories", By.cssSelector("#memory-list tbody tr"));
                filled.put("errors", By.cssSelector("#errors tr[data-issue]"));
                filled.put("leases", By.cssSelector("#lease-table tbody tr"));
                filled.put("queue", By.cssSelector("#tasks-queued tr[data-task='t-" + corpus.size() + "']"));
                filled.put("pools", By.cssSelector(".pool[data-pool] tr[data-version]"));
                filled.put("rollouts", By.cssSelector("[data-rollout='xss'] .decisions li"));
                filled.put("audit", By.cssSelector("#audit tbody tr"));
                filled.put("overview", By.id("tier-card"));
                for (Map.Entry<String, By> view : filled.entrySet()) {
                    show(d, view.getKey());
                    waitUp(d, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(view.getValue()));
                    assertThat(js.executeScript("return document.querySelectorAll('[data-xss]').length"))
                            .as("elements injected on " + view.getKey())
                            .isEqualTo(0L);
                }
                show(d, "agents");
                // A person clicks the row that is there; the table may have been redrawn since it was found.
                waitUp(d, PATIENCE)
                        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                        .until(x -> {
                            x.findElement(agentRow("x0")).click();
                            return true;
                        });
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-detail"), "data-xss"));
                assertThat(js.executeScript("return typeof window.__xss")).isEqualTo("undefined");
                assertThat(js.executeScript("return document.querySelectorAll('[data-xss]').length"))
                        .isEqualTo(0L);
                assertThat(js.executeScript("return document.querySelectorAll('img, svg:not(.u-over svg),"
                                + " iframe, object, video, details, math').length"))
                        .isEqualTo(0L);
                try {
                    d.switchTo().alert();
                    fail("an alert opened");
                } catch (NoAlertPresentException expected) {
                    // nothing ran
                }
                show(d, "chat");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "<script data-xss>"));
            } finally {
                d.quit();
            }
        }
    }

    @Test
    void the_first_page_at_a_thousand_agents_and_ten_thousand_messages_is_ready_within_a_second() throws Exception {
        // The fleet and the hub stay quiet while the cost is measured: the silent agents do not go stale (3 missed
        // heartbeats) halfway through, and the scheduled self-test (every 5 min, seconds of CPU at 1,000 agents) does
        // not run; either would land in whichever window was running.
        try (TestHub hub = new TestHub(
                Map.of("heartbeat-interval", "1h", "offline-after", "4h", "self-test-interval", "24h"),
                java.time.Clock.systemUTC())) {
            AgentService agents = hub.hub().services.agents;
            for (int i = 0; i < 1000; i++) {
                agents.register(
                        ADMIN,
                        "agent-%04d".formatted(i),
                        Role.AGENT,
                        new AgentService.Profile(
                                "agent " + i, List.of(), Map.of("pool", "pool-" + (i % 7), "version", "2.0")));
            }
            Principal poster = new Principal("agent-0001", Role.AGENT);
            for (int i = 0; i < 10_000; i++) {
                hub.hub().services.messages.post(poster, "general", "message " + i, null);
            }
            WebDriver d = open();
            try {
                login(d, hub, TestHub.ADMIN);
                // Leaving the page closes its stream: with no page open the hub drops what it showed, so the next
                // page starts cold on the server (the browser has the files cached, as a returning operator has).
                d.get("about:blank");
                waitUp(d, PATIENCE).until(x -> hub.hub().dashboardStreams() == 0);
                long started = System.nanoTime();
                long cpuStarted = processCpuNanos();
                d.get(hub.url() + "/#agents");
                waitUp(d, PATIENCE)
                        .until(ExpectedConditions.textToBePresentInElementLocated(
                                By.id("agent-count"), "1000 of 1000"));
                long wall = Duration.ofNanos(System.nanoTime() - started).toMillis();
                // The hub's share, which the load of other processes does not inflate the way it does wall time: CPU
                // of this JVM (files, session, the cold read and the snapshot's JSON; the test only waits meanwhile).
                long hubCpu = (processCpuNanos() - cpuStarted) / 1_000_000;
                JavascriptExecutor js = (JavascriptExecutor) d;
                // The page's own clock, from the start of the navigation to the first frame after the agent table
                // was rendered: what a person waits for. WebDriver's round trips (seconds on a loaded machine) are
                // in the wall time only.
                waitUp(d, PATIENCE)
                        .until(x -> js.executeScript("return performance.getEntriesByName('hub-ready').length") != null
                                && ((Number) js.executeScript(
                                                        "return performance.getEntriesByName('hub-ready').length"))
                                                .intValue()
                                        > 0);
                long ready = ((Number) js.executeScript(
                                "return Math.round(performance.getEntriesByName('hub-ready')[0].startTime)"))
                        .longValue();
                Object detail = js.executeScript("const t = (n) => Math.round(performance.getEntriesByName(n)[0]"
                        + ".startTime); return 'stream snapshot at ' + t('hub-snapshot') + ' ms, rendered at '"
                        + " + t('hub-rendered') + ' ms; '"
                        + " + performance.getEntriesByType('resource').map(r => r.name.split('/').pop()"
                        + " + ' ' + Math.round(r.duration) + ' ms').join(', ');");
                System.out.println("dashboard first page with 1000 agents and 10000 messages ready in " + ready
                        + " ms (" + detail + "; WebDriver wall time " + wall + " ms; hub CPU " + hubCpu + " ms)");
                // A sanity bound only, far from the goal: the number that counts is the one printed
                // (docs/benchmarks.md),
                // and a loaded machine must not fail the build by a few hundred milliseconds.
                assertThat(ready).isLessThan(Long.getLong("dashboard.ready.max-ms", 60_000));

                // What an open page's stream costs the hub while the fleet is quiet, against what a long-polling
                // agent costs: CPU of this JVM (the hub; the test only sleeps while it measures) in alternating
                // windows of the same run: no page, one page, one long-polling agent and no page. The page and the
                // poller both run in the browser, so that neither side's client costs this JVM anything. 15 s windows
                // by default (a page window holds at most one of the reader's 60 s full reads); the figures in
                // docs/benchmarks.md use windows as long as the refresh (-Ddashboard.cost.window-s=60).
                int rounds = Integer.getInteger("dashboard.cost.rounds", 2);
                // A page that went away is noticed at the stream's next write: its heartbeat, on a quiet fleet.
                Duration gone = Duration.ofSeconds(15).plus(PATIENCE);
                Duration window = Duration.ofSeconds(Long.getLong("dashboard.cost.window-s", 15));
                String poller = hub.agent("poller");
                double none = 0;
                double page = 0;
                double polling = 0;
                StringBuilder windows = new StringBuilder();
                for (int r = 0; r < rounds; r++) {
                    d.get("about:blank");
                    waitUp(d, gone).until(x -> hub.hub().dashboardStreams() == 0);
                    cpuMillisPerSecond(Duration.ofSeconds(2));
                    double n = cpuMillisPerSecond(window);
                    d.get(hub.url() + "/#agents");
                    waitUp(d, PATIENCE)
                            .until(ExpectedConditions.textToBePresentInElementLocated(
                                    By.id("agent-count"), "1001 of 1001")); // with the poller
                    waitUp(d, PATIENCE).until(x -> hub.hub().dashboardStreams() == 1);
                    cpuMillisPerSecond(Duration.ofSeconds(3)); // the snapshot settles (and its garbage)
                    long readsBefore = hub.hub().dashboardReads();
                    double p = cpuMillisPerSecond(window);
                    long reads = hub.hub().dashboardReads() - readsBefore;
                    d.get(hub.url() + "/login.html");
                    waitUp(d, gone).until(x -> hub.hub().dashboardStreams() == 0);
                    js.executeScript(
                            "const token = arguments[0]; window.__polls = 0; window.__poll = true;"
                                    + " (async () => { while (window.__poll) {"
                                    + " await fetch('api/inbox?wait=25', {headers: {Authorization: 'Bearer ' +"
                                    + " token}}); window.__polls++; } })();",
                            poller);
                    cpuMillisPerSecond(Duration.ofSeconds(2));
                    double l = cpuMillisPerSecond(window);
                    js.executeScript("window.__poll = false;");
                    windows.append(String.format(
                            " [round %d: no page %.1f, one page %.1f (%d reads), one long-polling agent %.1f]",
                            r + 1, n, p, reads, l));
                    none += n / rounds;
                    page += p / rounds;
                    polling += l / rounds;
                }
                d.get("about:blank");
                System.out.printf(
                        "hub CPU in %d alternating windows of %d s: no page %.1f ms/s, one page %.1f ms/s,"
                                + " one long-polling agent and no page %.1f ms/s; page over idle %.1f ms/s, poller"
                                + " over idle %.1f ms/s, page / poller %.2f;%s%n",
                        rounds,
                        window.toSeconds(),
                        none,
                        page,
                        polling,
                        page - none,
                        polling - none,
                        page / polling,
                        windows);
                // The reader that polled cost 25-60 ms/s more than a long-polling agent at 1,000 agents; one that
                // reads on change costs about what the poller does. A bound well above the noise of this machine.
                assertThat(page - polling)
                        .as("what an open page costs over a long-polling agent, ms of CPU per second")
                        .isLessThan(Double.parseDouble(System.getProperty("dashboard.stream.max-extra-ms", "20")));
            } finally {
                d.quit();
            }
        }
    }
}
