package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's login, session cookie, CSRF rule, one-time links, assets and security headers over plain HTTP. */
class DashboardApiTest {
    private TestHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new TestHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private TestHub.Response login(String token) {
        return hub.post(null, "/api/dashboard/session", Map.of("token", token));
    }

    private static String cookie(TestHub.Response login) {
        return login.header("Set-Cookie").split(";")[0];
    }

    private TestHub.Response withCookie(String cookie, String method, String path, String body, String csrf) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(hub.url() + path)).header("Cookie", cookie);
        if (csrf != null) {
            b.header("X-Hub-CSRF", csrf);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return hub.send(null, b);
    }

    @Test
    void a_login_sets_an_http_only_same_site_strict_cookie_with_an_expiry() {
        TestHub.Response r = login(TestHub.ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Set-Cookie"))
                .startsWith("hub_session=ahs_")
                .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200")
                .doesNotContain("Secure");
        assertThat(r.json().path("role").asString()).isEqualTo("admin");
        assertThat(r.json().path("csrf").asString()).hasSize(32);
    }

    @Test
    void an_agent_token_or_a_wrong_token_gets_no_session() {
        String agent = hub.agent("worker-1");
        assertThat(login(agent).status()).isEqualTo(403);
        assertThat(login("nope").status()).isEqualTo(401);
        assertThat(login("nope").header("Set-Cookie")).isNull();
    }

    @Test
    void a_login_sent_as_a_form_or_plain_text_is_refused() {
        TestHub.Response r = hub.send(
                null,
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/dashboard/session"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TestHub.ADMIN + "\"}")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Set-Cookie")).isNull();
    }

    @Test
    void the_cookie_reads_the_api_but_changes_need_the_csrf_header() {
        TestHub.Response login = login(TestHub.ADMIN);
        String cookie = cookie(login);
        String csrf = login.json().path("csrf").asString();
        assertThat(withCookie(cookie, "GET", "/api/tier", null, null).status()).isEqualTo(200);

        TestHub.Response forged = withCookie(cookie, "POST", "/api/tier", "{\"tier\":2,\"reason\":\"x\"}", null);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().path("code").asString()).isEqualTo("csrf");
        assertThat(withCookie(cookie, "POST", "/api/tier", "{\"tier\":2,\"reason\":\"x\"}", "wrong-token")
                        .status())
                .isEqualTo(403);
        assertThat(hub.get(TestHub.ADMIN, "/api/tier").json().path("tier").asInt())
                .isEqualTo(1);

        assertThat(withCookie(cookie, "POST", "/api/tier", "{\"tier\":2,\"reason\":\"drill\"}", csrf)
                        .status())
                .isEqualTo(200);
        assertThat(hub.get(TestHub.ADMIN, "/api/tier").json().path("tier").asInt())
                .isEqualTo(2);
        assertThat(hub.get(TestHub.ADMIN, "/api/audit").raw().body()).contains("dashboard.login");
    }

    @Test
    void a_cross_site_request_is_refused_even_with_the_token() {
        TestHub.Response login = login(TestHub.ADMIN);
        TestHub.Response r = hub.send(
                null,
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/tier"))
                        .header("Cookie", cookie(login))
                        .header("X-Hub-CSRF", login.json().path("csrf").asString())
                        .header("Sec-Fetch-Site", "cross-site")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"tier\":2}")));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void a_viewer_session_is_refused_admin_actions() {
        String viewer = hub.viewer("watcher");
        TestHub.Response login = login(viewer);
        assertThat(login.json().path("role").asString()).isEqualTo("viewer");
        TestHub.Response r = withCookie(
                cookie(login),
                "POST",
                "/api/tier",
                "{\"tier\":2}",
                login.json().path("csrf").asString());
        assertThat(r.status()).isEqualTo(403);
        assertThat(withCookie(cookie(login), "GET", "/api/audit", null, null).status())
                .isEqualTo(403);
    }

    @Test
    void logout_ends_the_session_and_clears_the_cookie() {
        TestHub.Response login = login(TestHub.ADMIN);
        String cookie = cookie(login);
        TestHub.Response out = withCookie(
                cookie,
                "POST",
                "/api/dashboard/logout",
                "{}",
                login.json().path("csrf").asString());
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(withCookie(cookie, "GET", "/api/tier", null, null).status()).isEqualTo(401);
    }

    @Test
    void a_login_link_works_once() {
        TestHub.Response link = hub.post(TestHub.ADMIN, "/api/dashboard/links", Map.of());
        assertThat(link.status()).isEqualTo(201);
        String url = link.json().path("url").asString();
        assertThat(url).startsWith(hub.hub().dashboardUrl() + "login.html#code=ahl_");
        String code = url.substring(url.indexOf("code=") + 5);
        TestHub.Response first = hub.post(null, "/api/dashboard/session", Map.of("code", code));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("role").asString()).isEqualTo("admin");
        assertThat(hub.post(null, "/api/dashboard/session", Map.of("code", code))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void the_overview_sends_a_browser_without_a_session_to_the_login_page() {
        TestHub.Response r = hub.get(null, "/");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("login.html");
        String cookie = cookie(login(TestHub.ADMIN));
        TestHub.Response page = withCookie(cookie, "GET", "/", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<script type=\"module\" src=\"app.js\">");
    }

    @Test
    void dashboard_pages_and_api_answers_carry_the_security_headers() {
        TestHub.Response page = hub.get(null, "/login.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy"))
                .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(hub.get(null, "/vendor/uPlot.esm.js").status()).isEqualTo(200);
        for (TestHub.Response r :
                new TestHub.Response[] {page, hub.get(TestHub.ADMIN, "/api/agents"), hub.get(null, "/api/health")}) {
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        }
        assertThat(hub.get(null, "/secret.txt").status()).isEqualTo(404);
    }

    @Test
    void a_page_streaming_busily_is_logged_out_within_a_heartbeat_of_its_session_closing() throws Exception {
        TestHub.Response login = login(TestHub.ADMIN);
        String cookie = cookie(login);
        java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(hub.url() + "/api/dashboard/events"))
                                .header("Cookie", cookie)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(lines::add));
        String line;
        do {
            line = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        } while (line != null && !line.equals("event: snapshot"));
        assertThat(line).isEqualTo("event: snapshot");
        assertThat(withCookie(
                                cookie,
                                "POST",
                                "/api/dashboard/logout",
                                "{}",
                                login.json().path("csrf").asString())
                        .status())
                .isEqualTo(200);
        // The overview is sent every second, so the stream is never idle; the session check must not wait for that.
        long until = System.nanoTime() + java.time.Duration.ofSeconds(25).toNanos();
        boolean loggedOut = false;
        while (!loggedOut && System.nanoTime() < until) {
            String l = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            loggedOut = "event: logout".equals(l);
        }
        assertThat(loggedOut).isTrue();
    }

    @Test
    void scripts_are_revalidated_by_their_tag_and_pages_are_not_cached() {
        TestHub.Response first = hub.get(null, "/app.js");
        String tag = first.header("ETag");
        assertThat(tag).startsWith("\"").endsWith("\"");
        TestHub.Response again = hub.send(
                null, HttpRequest.newBuilder(URI.create(hub.url() + "/app.js")).header("If-None-Match", tag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw().body()).isEmpty();
        TestHub.Response page = hub.get(null, "/login.html");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("ETag")).isNull();
    }

    @Test
    void sessions_and_login_links_that_ended_are_deleted_by_the_janitors_sweep() throws Exception {
        io.agenthub.tck.MutableClock clock =
                new io.agenthub.tck.MutableClock(java.time.Instant.parse("2026-03-01T08:00:00Z"));
        try (TestHub timed = TestHub.withClock(clock, Map.of())) {
            TestHub.Response login = timed.post(null, "/api/dashboard/session", Map.of("token", TestHub.ADMIN));
            String code = timed.post(TestHub.ADMIN, "/api/dashboard/links", Map.of())
                    .json()
                    .path("url")
                    .asString()
                    .replaceAll(".*code=", "");
            assertThat(timed.post(null, "/api/dashboard/session", Map.of("code", code))
                            .status())
                    .isEqualTo(200);
            io.agenthub.auth.CredentialStore creds = timed.hub().stores().credentials();
            assertThat(creds.list(io.agenthub.auth.Credential.Kind.SESSION)).hasSize(2);
            assertThat(creds.list(io.agenthub.auth.Credential.Kind.LOGIN_LINK)).hasSize(1);

            clock.advance(java.time.Duration.ofMinutes(1));
            // The redeemed link is gone; both sessions are still open.
            assertThat(timed.hub().services.auth.purgeEndedSessions()).isEqualTo(1);
            clock.advance(java.time.Duration.ofHours(13));
            assertThat(timed.hub().services.auth.purgeEndedSessions()).isEqualTo(2);
            assertThat(creds.list(io.agenthub.auth.Credential.Kind.SESSION)).isEmpty();
            assertThat(creds.list(io.agenthub.auth.Credential.Kind.LOGIN_LINK)).isEmpty();
            assertThat(timed.send(
                                    null,
                                    HttpRequest.newBuilder(URI.create(timed.url() + "/api/tier"))
                                            .header("Cookie", cookie(login)))
                            .status())
                    .isEqualTo(401);
        }
    }

    @Test
    void the_series_answer_buckets_for_the_charts() {
        TestHub.Response r = hub.get(TestHub.ADMIN, "/api/dashboard/series?range=24h&days=3");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("counters").path("t").size()).isEqualTo(24);
        assertThat(r.json().path("usage").path("days").size()).isEqualTo(3);
        assertThat(hub.get(TestHub.ADMIN, "/api/dashboard/series?range=2y").status())
                .isEqualTo(400);
    }

    @Test
    void the_series_chart_tokens_and_cost_per_hour_by_pool_and_model_and_the_queue_depth() {
        String dev = hub.agent("dev-1", Map.of("pool", "backend", "version", "1.0"));
        assertThat(hub.post(dev, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 1000))
                        .status())
                .isEqualTo(200);
        assertThat(hub.post(dev, "/api/tasks", Map.of("title", "index the docs", "pool", "backend"))
                        .status())
                .isEqualTo(201);
        io.agenthub.server.ops.ChartCounters.sampleQueues(hub.hub().services.tasks, hub.hub().services.counters);

        tools.jackson.databind.JsonNode c =
                hub.get(TestHub.ADMIN, "/api/dashboard/series?range=1h").json().path("counters");
        assertThat(c.path("stepSeconds").asLong()).isEqualTo(300);
        assertThat(c.path("t").size()).isEqualTo(12);
        // Five-minute buckets: a thousand tokens in one of them is 12,000 an hour.
        assertThat(sum(c.path("tokensPerHourByPool").path("backend"))).isEqualTo(12_000);
        assertThat(sum(c.path("tokensPerHourByModel").path("claude-haiku-4-5"))).isEqualTo(12_000);
        assertThat(sum(c.path("costUsdPerHourByPool").path("backend"))).isPositive();
        assertThat(sum(c.path("costUsdPerHourByModel").path("claude-haiku-4-5")))
                .isPositive();
        // The hub samples every minute too (possibly before the task was created): the mean is between 0 and 1.
        assertThat(sum(c.path("queueDepthByPool").path("backend"))).isBetween(0.01, 1.0);
    }

    private static double sum(tools.jackson.databind.JsonNode series) {
        assertThat(series.isArray()).as("a series: " + series).isTrue();
        double total = 0;
        for (tools.jackson.databind.JsonNode v : series) {
            total += v.asDouble();
        }
        return total;
    }

    @Test
    void the_event_stream_starts_with_a_snapshot_and_carries_new_chat() throws Exception {
        String agent = hub.agent("talker");
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        client.sendAsync(
                        HttpRequest.newBuilder(URI.create(hub.url() + "/api/dashboard/events"))
                                .header("Authorization", "Bearer " + TestHub.ADMIN)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(lines::add));
        String line;
        do {
            line = lines.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        } while (line != null && !line.equals("event: snapshot"));
        assertThat(line).isEqualTo("event: snapshot");
        assertThat(hub.post(agent, "/api/chat", Map.of("channel", "general", "text", "live words"))
                        .status())
                .isEqualTo(201);
        long until = System.nanoTime() + 3_000_000_000L;
        boolean seen = false;
        while (!seen && System.nanoTime() < until) {
            String l = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            seen = l != null && l.contains("live words");
        }
        assertThat(seen).isTrue();

        // A new task reaches the page as a tasks event, title and all.
        assertThat(hub.post(agent, "/api/tasks", Map.of("title", "a task seen live", "pool", "backend"))
                        .status())
                .isEqualTo(201);
        until = System.nanoTime() + 3_000_000_000L;
        String previous = "";
        boolean task = false;
        while (!task && System.nanoTime() < until) {
            String l = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            task = l != null && previous.equals("event: tasks") && l.contains("a task seen live");
            previous = l == null ? previous : l;
        }
        assertThat(task).isTrue();
    }
}
