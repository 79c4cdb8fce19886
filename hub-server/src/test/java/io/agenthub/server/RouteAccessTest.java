package io.agenthub.server;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the hub's route table, called as no one, with a bad token, as a viewer, as another agent, as the
 * agent that owns the thing the route names, and as the admin, against {@link #EXPECTED}: who may call what. A route
 * without a row fails the test until a row is added. Besides the table: an agent names itself only through its
 * credential, never through a body field or a path.
 */
class RouteAccessTest {
    /** The callers, in the order of the letters in {@link #EXPECTED}. */
    private static final List<String> CALLERS =
            List.of("none", "bad token", "viewer", "other agent", "own agent", "admin");

    /*
     * One row per route: the answer for each caller of CALLERS, as a letter.
     *   U  401: no credential, or a bad one.
     *   F  403: the credential is valid but may not do this.
     *   H  403 or 404: refused, and the thing may be hidden from this caller.
     *   A  allowed: anything but 401, 403 and 5xx (a 400 for the sample body, a 404 or 409 for the state, is allowed).
     * The sample body is what each caller sends; "own" things (an agent, a memory, a task, a handoff, an error issue)
     * are the own agent's (alice's); the other agent is bob.
     */
    private static final String PUBLIC = "AAAAAA";
    private static final String READ = "UUAAAA";
    private static final String WRITE = "UUFAAA";
    private static final String OWNER = "UUFFAA";
    private static final String ADMIN = "UUFFFA";
    /** Agents only: the admin token is no agent (it has no token to renew, takes no task). */
    private static final String AGENTS = "UUFAAF";
    /** The holder only: neither another agent nor the admin, who has its own route for it. */
    private static final String HOLDER = "UUFFAF";

    record Row(String expected, String body) {}

    private static Row row(String expected) {
        return new Row(expected, null);
    }

    private static Row row(String expected, String body) {
        return new Row(expected, body);
    }

    static final Map<String, Row> EXPECTED = Map.ofEntries(
            entry("GET /api/export", row(ADMIN)),
            entry("POST /api/keys/rotate", row(ADMIN, "{\"overlapSeconds\":3600}")),
            entry("POST /api/agents/{id}/disable", row(ADMIN, "{\"reason\":\"access test\"}")),
            entry("POST /api/agents/{id}/enable", row(ADMIN, "{}")),
            entry("POST /api/agents", row(ADMIN, "{\"id\":\"made-by-%s\"}")),
            entry("POST /api/agents/enroll", row(PUBLIC, "{\"joinKey\":\"$joinKey\",\"id\":\"joined-by-%s\"}")),
            entry("GET /api/agents", row(READ)),
            entry("GET /api/agents/{id}", row(READ)),
            // Profiles: an agent edits its own; another agent, a viewer, nobody may.
            entry("PATCH /api/agents/{id}", row(OWNER, "{\"name\":\"Alice\"}")),
            entry("POST /api/agents/{id}/tokens", row(ADMIN, "{}")),
            // Renewal renews the caller's own token (identity from the credential): every agent may.
            entry("POST /api/tokens/renew", row(AGENTS, "{}")),
            entry("POST /api/heartbeat", row(WRITE, "{\"status\":\"busy\"}")),
            entry("GET /api/whoami", row(READ)),
            entry("POST /api/join-keys", row(ADMIN, "{\"label\":\"access\"}")),
            entry("GET /api/join-keys", row(ADMIN)),
            entry("DELETE /api/join-keys/{id}", row(ADMIN)),
            entry("GET /api/audit", row(ADMIN)),
            entry("GET /api/audit/safety-report", row(ADMIN)),
            entry("GET /api/drills", row(READ)),
            entry("POST /api/drills", row(ADMIN, "{}")),
            entry("POST /api/chaos", row(ADMIN, "{\"scenario\":\"hub-kill\",\"durationSeconds\":1}")),
            entry("POST /api/checkpoints", row(WRITE, "{\"currentTask\":\"t\",\"progress\":\"p\"}")),
            entry("GET /api/checkpoints", row(READ)),
            entry("POST /hooks/claude/{event}", row(WRITE, "{\"session_id\":\"s\"}")),
            entry("GET /api/hot-start", row(READ)),
            entry("GET /api/digest", row(READ)),
            // Signing in to the dashboard is public (the token is in the body).
            entry("POST /api/dashboard/session", row(PUBLIC, "{\"token\":\"$viewer\"}")),
            entry("GET /api/dashboard/session", row(READ)),
            entry("POST /api/dashboard/logout", row(READ, "{}")),
            entry("POST /api/dashboard/links", row(ADMIN, "{}")),
            entry("GET /api/dashboard/events", row(READ)),
            entry("GET /api/dashboard/series", row(READ)),
            entry("POST /api/errors", row(WRITE, "{\"title\":\"t\",\"message\":\"m\",\"level\":\"error\"}")),
            entry("GET /api/errors", row(READ)),
            entry("PATCH /api/errors/{id}", row(WRITE, "{\"status\":\"resolved\"}")),
            entry("GET /api/flags", row(READ)),
            entry("GET /api/flags/definitions", row(ADMIN)),
            entry("POST /api/flags/{key}", row(ADMIN, "{\"type\":\"boolean\",\"defaultValue\":false}")),
            entry("DELETE /api/flags/{key}", row(ADMIN)),
            entry("POST /ofrep/v1/evaluate/flags/{key}", row(READ, "{\"context\":{}}")),
            entry("POST /ofrep/v1/evaluate/flags", row(READ, "{\"context\":{}}")),
            entry("POST /api/handoffs", row(WRITE, "{\"to\":\"bob\",\"title\":\"t\",\"context\":\"c\"}")),
            entry("POST /api/handoffs/transfer", row(WRITE, "{}")),
            entry("GET /api/handoffs", row(READ)),
            entry("GET /api/handoffs/{id}", row(READ)),
            entry("POST /api/handoffs/{id}/accept", row(WRITE, "{}")),
            entry("POST /api/handoffs/{id}/decline", row(WRITE, "{}")),
            entry("POST /api/handoffs/{id}/complete", row(WRITE, "{}")),
            // The creator (or the admin) cancels a handoff; its receiver declines it instead.
            entry("POST /api/handoffs/{id}/cancel", row(OWNER, "{}")),
            entry("GET /api/health", row(PUBLIC)),
            entry("POST /api/leases", row(WRITE, "{\"resource\":\"access/%s\",\"ttlSeconds\":60}")),
            // Only the holder renews or releases a lease; the admin force-releases it (its own route).
            entry("POST /api/leases/renew", row(HOLDER, "{\"resource\":\"access/alice-lease\",\"token\":1}")),
            entry("POST /api/leases/release", row(HOLDER, "{\"resource\":\"access/alice-lease\",\"token\":1}")),
            entry("POST /api/leases/force-release", row(ADMIN, "{\"resource\":\"access/x\",\"reason\":\"r\"}")),
            entry("GET /api/leases", row(READ)),
            entry("GET /api/leases/check", row(READ)),
            entry("POST /api/memories", row(WRITE, "{\"category\":\"decision\",\"content\":\"by %s\"}")),
            entry("POST /api/memories/consolidate", row(ADMIN, "{}")),
            entry("GET /api/memories", row(READ)),
            entry("GET /api/memories/{id}", row(READ)),
            entry("DELETE /api/memories/{id}", row(OWNER)),
            entry("POST /api/chat", row(WRITE, "{\"channel\":\"access\",\"text\":\"hi\"}")),
            entry("GET /api/chat", row(READ)),
            entry("POST /api/dm", row(WRITE, "{\"to\":\"carol\",\"text\":\"hi\"}")),
            entry("GET /api/inbox", row(READ)),
            entry("POST /api/inbox/ack", row(WRITE, "{\"cursor\":0}")),
            entry("GET /api/channels", row(READ)),
            entry("GET /api/events", row(READ)),
            // Public in the route table for the scrape token (metrics-token), but any other caller needs a valid token.
            entry("GET /metrics", row(READ)),
            entry("GET /api/status", row(READ)),
            entry("GET /api/tier", row(READ)),
            entry("POST /api/tier", row(ADMIN, "{\"tier\":1,\"reason\":\"access test\"}")),
            entry("GET /api/alerts", row(READ)),
            entry("GET /api/trace", row(READ)),
            entry("GET /api/pools", row(READ)),
            entry("GET /api/scaling", row(READ)),
            entry("POST /api/scaling/{pool}/scale-down", row(ADMIN, "{\"count\":1}")),
            entry("GET /api/rollouts", row(READ)),
            entry("GET /api/rollouts/{pool}", row(READ)),
            entry("POST /api/rollouts/{pool}/canary", row(ADMIN, "{\"version\":\"2\"}")),
            entry("POST /api/rollouts/{pool}/bluegreen", row(ADMIN, "{\"green\":\"2\"}")),
            entry("POST /api/rollouts/{pool}/verify", row(ADMIN, "{}")),
            entry("POST /api/rollouts/{pool}/switch", row(ADMIN, "{}")),
            entry("POST /api/rollouts/{pool}/pause", row(ADMIN, "{}")),
            entry("POST /api/rollouts/{pool}/resume", row(ADMIN, "{}")),
            entry("POST /api/rollouts/{pool}/promote", row(ADMIN, "{}")),
            entry("DELETE /api/rollouts/{pool}", row(ADMIN)),
            entry("POST /api/rollouts/{pool}/rollback", row(ADMIN, "{}")),
            entry("GET /api/tools-test", row(READ)),
            entry("GET /api/stalls", row(READ)),
            entry("POST /api/tasks", row(WRITE, "{\"title\":\"by %s\"}")),
            entry("POST /api/tasks/claim", row(AGENTS, "{}")),
            // A claimed task is worked on by its claimant, with the claim token (a wrong token is a 409, not a 403).
            entry("POST /api/tasks/{id}/renew", row(WRITE, "{\"token\":1}")),
            entry("POST /api/tasks/{id}/complete", row(WRITE, "{\"token\":1}")),
            entry("POST /api/tasks/{id}/fail", row(WRITE, "{\"token\":1}")),
            entry("POST /api/tasks/{id}/cancel", row(OWNER, "{}")),
            entry("GET /api/tasks", row(READ)),
            entry("GET /api/tasks/{id}", row(READ)),
            entry("POST /api/usage", row(WRITE, "{\"model\":\"claude-sonnet-4\",\"inputTokens\":1}")),
            entry("GET /api/usage", row(READ)),
            entry("GET /api/budget", row(READ)),
            entry("POST /api/budget/acknowledge", row(ADMIN, "{\"agentId\":\"alice\"}")),
            entry("GET /api/routing", row(READ)));

    static TestHub hub;
    static Map<String, String> tokens;
    static Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kind : List.of("anonymous", "chat", "errors", "mcp", "memories", "reads", "writes")) {
            settings.put("rate-limit-" + kind, "0");
        }
        hub = new TestHub(settings, java.time.Clock.systemUTC());
        tokens = new LinkedHashMap<>();
        tokens.put("none", null);
        tokens.put("bad token", "ahk_not-a-real-token-000000000000000000000");
        tokens.put("viewer", hub.viewer("watcher"));
        tokens.put("other agent", hub.agent("bob"));
        tokens.put("own agent", hub.agent("alice"));
        tokens.put("admin", TestHub.ADMIN);
        hub.agent("carol");
        String alice = tokens.get("own agent");
        ids.put("memory", created(hub.post(alice, "/api/memories", Map.of("category", "decision", "content", "mine"))));
        ids.put("task", created(hub.post(alice, "/api/tasks", Map.of("title", "alice's task"))));
        ids.put("handoff", created(hub.post(alice, "/api/handoffs", Map.of("to", "bob", "title", "take it"))));
        TestHub.Response error =
                hub.post(alice, "/api/errors", Map.of("title", "boom", "message", "m", "level", "error"));
        ids.put("error", error.json().path("issue").path("id").asString());
        TestHub.Response key = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "access"));
        ids.put("join-key", created(key));
        TestHub.Response enrolKey = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "enrol"));
        ids.put("join-key-secret", enrolKey.json().path("joinKey").asString());
        hub.post(TestHub.ADMIN, "/api/flags/flag-x", Map.of("type", "boolean", "defaultValue", true));
        hub.post(alice, "/api/leases", Map.of("resource", "access/alice-lease", "ttlSeconds", 600));
    }

    private static String created(TestHub.Response r) {
        assertThat(r.status()).as(r.raw().body()).isBetween(200, 201);
        String id = r.json().path("id").asString("");
        assertThat(id).as(r.raw().body()).isNotEmpty();
        return id;
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void every_route_has_a_row_in_the_expected_access_table() {
        TreeSet<String> missing = new TreeSet<>(hub.hub().routes().keySet());
        missing.removeAll(EXPECTED.keySet());
        assertThat(missing)
                .as("routes without a row in RouteAccessTest.EXPECTED: add one that says what none, a bad token, a"
                        + " viewer, another agent, the owning agent and the admin get")
                .isEmpty();
        TreeSet<String> stale = new TreeSet<>(EXPECTED.keySet());
        stale.removeAll(hub.hub().routes().keySet());
        assertThat(stale).as("rows for routes that no longer exist").isEmpty();
    }

    @Test
    void every_route_answers_every_caller_as_the_table_says() throws Exception {
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (String route : hub.hub().routes().keySet()) {
            Row row = EXPECTED.get(route);
            if (row == null) {
                continue; // the other test names it
            }
            // The callers the table refuses go first, so that an allowed call cannot change what they would get.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < CALLERS.size(); i++) {
                if (row.expected().charAt(i) != 'A') {
                    order.add(i);
                }
            }
            for (int i = 0; i < CALLERS.size(); i++) {
                if (row.expected().charAt(i) == 'A') {
                    order.add(i);
                }
            }
            for (int i : order) {
                String caller = CALLERS.get(i);
                RawHttp.Reply reply = call(route, row, caller);
                calls++;
                char expected = row.expected().charAt(i);
                int status = reply == null ? -1 : reply.status();
                boolean ok = switch (expected) {
                    case 'U' -> status == 401;
                    case 'F' -> status == 403;
                    case 'H' -> status == 403 || status == 404;
                    default -> status != 401 && status != 403 && status > 0 && status < 500;
                };
                if (status >= 500 || !ok) {
                    wrong.add(route + " as " + caller + ": expected " + expected + ", got " + status + " "
                            + (reply == null ? "" : shorten(reply.text())));
                }
            }
        }
        System.out.printf("route access: %d routes x %d callers = %d calls%n", EXPECTED.size(), CALLERS.size(), calls);
        assertThat(wrong)
                .as("answers that differ from RouteAccessTest.EXPECTED")
                .isEmpty();
    }

    private static RawHttp.Reply call(String route, Row row, String caller) throws Exception {
        int space = route.indexOf(' ');
        String method = route.substring(0, space);
        String path = path(route.substring(space + 1));
        URI base = URI.create(hub.url());
        String token = tokens.get(caller);
        String body = row.body() == null
                ? ""
                : row.body()
                        .replace("%s", caller.replace(' ', '-'))
                        .replace("$joinKey", ids.get("join-key-secret"))
                        .replace("$viewer", tokens.get("viewer"));
        StringBuilder request = new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(base.getAuthority())
                .append("\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        request.append("Content-Type: application/json\r\nContent-Length: ")
                .append(bytes.length)
                .append("\r\nConnection: close\r\n\r\n")
                .append(body);
        return RawHttp.exchange(base, request.toString().getBytes(StandardCharsets.UTF_8), false, 30_000);
    }

    /** The route's path with its parameters naming the own agent's things. */
    private static String path(String template) {
        String p = template;
        if (p.startsWith("/api/agents/{id}/")) {
            p = p.replace("{id}", "carol"); // disabling or re-keying alice would change the rows after it
        }
        if (p.equals("/api/tools-test")) {
            return p + "?action=list"; // without it the first caller (and every admin) runs the whole self-test
        }
        return p.replace("/api/agents/{id}", "/api/agents/alice")
                .replace("/api/memories/{id}", "/api/memories/" + ids.get("memory"))
                .replace("/api/tasks/{id}", "/api/tasks/" + ids.get("task"))
                .replace("/api/handoffs/{id}", "/api/handoffs/" + ids.get("handoff"))
                .replace("/api/errors/{id}", "/api/errors/" + ids.get("error"))
                .replace("/api/join-keys/{id}", "/api/join-keys/" + ids.get("join-key"))
                .replace("{key}", "flag-x")
                .replace("{pool}", "pool-a")
                .replace("{event}", "stop");
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Test
    void an_agent_names_itself_only_through_its_credential() {
        String alice = tokens.get("own agent");
        // Body fields that name another agent are not identities.
        TestHub.Response chat = hub.post(
                alice,
                "/api/chat",
                Map.of("channel", "identity", "text", "hello", "from", "bob", "author", "bob", "agentId", "bob"));
        assertThat(chat.status()).as(chat.raw().body()).isEqualTo(201);
        assertThat(chat.raw().body()).contains("\"alice\"").doesNotContain("\"bob\"");
        TestHub.Response lease = hub.post(
                alice,
                "/api/leases",
                Map.of("resource", "identity/x", "ttlSeconds", 60, "holder", "bob", "agentId", "bob"));
        assertThat(lease.json().path("holder").asString()).isEqualTo("alice");
        hub.post(alice, "/api/heartbeat", Map.of("status", "offline", "id", "bob", "agentId", "bob"));
        assertThat(hub.get(alice, "/api/agents/bob")
                        .json()
                        .path("agent")
                        .path("status")
                        .asString())
                .isNotEqualTo("offline");
        TestHub.Response memory = hub.post(
                alice, "/api/memories", Map.of("category", "decision", "content", "mine too", "author", "bob"));
        assertThat(memory.raw().body()).doesNotContain("\"bob\"");
        // Another agent's profile, token and things are not the agent's to change.
        assertThat(hub.send(
                                alice,
                                java.net.http.HttpRequest.newBuilder(URI.create(hub.url() + "/api/agents/bob"))
                                        .header("Content-Type", "application/json")
                                        .method(
                                                "PATCH",
                                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                                        "{\"labels\":{\"team\":\"x\"}}")))
                        .status())
                .isEqualTo(403);
        assertThat(hub.post(alice, "/api/agents/bob/tokens", Map.of()).status()).isEqualTo(403);
        assertThat(hub.post(alice, "/api/agents", Map.of("id", "alice2", "role", "admin"))
                        .status())
                .isEqualTo(403);
        // Knowing another agent's lease or claim token does not make an agent its holder.
        String bob = tokens.get("other agent");
        TestHub.Response held = hub.post(alice, "/api/leases", Map.of("resource", "identity/held", "ttlSeconds", 60));
        long leaseToken = held.json().path("token").asLong();
        assertThat(hub.post(bob, "/api/leases/release", Map.of("resource", "identity/held", "token", leaseToken))
                        .status())
                .isEqualTo(403);
        hub.post(alice, "/api/tasks", Map.of("title", "identity task", "priority", 100));
        TestHub.Response claim = hub.post(alice, "/api/tasks/claim", Map.of());
        assertThat(claim.status()).as(claim.raw().body()).isEqualTo(200);
        String task = claim.json().path("id").asString();
        long claimToken = claim.json().path("token").asLong();
        assertThat(hub.post(bob, "/api/tasks/" + task + "/complete", Map.of("token", claimToken, "result", "mine"))
                        .status())
                .isEqualTo(403);
        // A viewer writes nothing, whatever the route.
        String viewer = tokens.get("viewer");
        assertThat(hub.post(viewer, "/api/chat", Map.of("channel", "identity", "text", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(hub.post(viewer, "/api/leases", Map.of("resource", "v", "ttlSeconds", 60))
                        .status())
                .isEqualTo(403);
    }
}
