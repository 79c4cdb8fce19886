package io.agenthub.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.client.Agents;
import io.agenthub.client.Checkpoints;
import io.agenthub.client.Errors;
import io.agenthub.client.EventStream;
import io.agenthub.client.Handoffs;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Leases;
import io.agenthub.client.Memories;
import io.agenthub.client.Messages;
import io.agenthub.client.Tasks;
import io.agenthub.client.Usage;
import io.agenthub.server.TestHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every route of the hub, called through the Java client against a live hub. */
@Timeout(120)
class HubClientRoutesTest {
    static TestHub hub;
    static HubClient admin;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        admin = HubClient.builder().urls(hub.url()).token(TestHub.ADMIN).build();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void every_route_family_answers_typed_replies_and_no_route_is_left_uncalled() {
        Agents.Registration alice = admin.agents().create(Agents.NewAgent.named("alice"));
        assertThat(alice.agent().id()).isEqualTo("alice");
        assertThat(alice.token()).isNotBlank();
        HubClient a = admin.withToken(alice.token());
        HubClient b = admin.withToken(
                admin.agents().create(Agents.NewAgent.named("bob")).token());

        agents(a);
        leases(a, b);
        messages(a, b);
        checkpoints(a);
        handoffs(a, b);
        memories(a);
        usage(a);
        errors(a);
        ops(a);
        tasks(a, b);
        rollouts(a);
        drills(a);
        adminCalls(a);

        Set<String> called = new TreeSet<>();
        Matcher m = Pattern.compile("route=\"([^\"]+)\"").matcher(a.ops().metrics());
        while (m.find()) {
            called.add(m.group(1));
        }
        // Claude Code posts to the hooks itself; they are no client calls (ClaudeHooksTest covers them).
        Set<String> routes = new TreeSet<>(hub.hub().routes().keySet());
        // Browsers call the dashboard's routes (DashboardApiTest), OpenFeature SDKs the OFREP ones (FlagApiTest).
        routes.removeIf(route ->
                route.contains(" /hooks/") || route.contains(" /api/dashboard/") || route.contains(" /ofrep/"));
        assertThat(called)
                .as("routes the client called (the hub counts requests per route)")
                .containsAll(routes);
    }

    private static void agents(HubClient a) {
        assertThat(a.agents().whoami().id()).isEqualTo("alice");
        assertThat(a.agents().list()).extracting(Agents.Agent::id).contains("alice", "bob");
        assertThat(a.agents().heartbeat("busy", "client tests", 1200L).status()).isEqualTo("busy");
        assertThat(a.agents()
                        .updateProfile("alice", "Alice", List.of("java"), Map.of("team", "web"))
                        .capabilities())
                .containsExactly("java");
        assertThat(a.agents().get("alice").agent().currentTask()).isEqualTo("client tests");
        assertThat(admin.agents().issueToken("alice")).isNotBlank();
        var renewed = a.agents().renewToken();
        assertThat(a.withToken(renewed.token()).agents().whoami().id()).isEqualTo("alice");
        assertThat(renewed.oldValidUntil()).isNotNull();
        String key = admin.admin().createJoinKey("ci").joinKey();
        Agents.Registration joined = admin.withToken(null).agents().enroll(key, "carol", "Carol", null, null);
        assertThat(joined.agent().id()).isEqualTo("carol");
    }

    private static void leases(HubClient a, HubClient b) {
        Leases.Lease lease = a.leases().grant("src/a.java", Duration.ofMinutes(1), "editing");
        assertThat(lease.holder()).isEqualTo("alice");
        assertThat(a.leases()
                        .renew("src/a.java", lease.token(), Duration.ofMinutes(2))
                        .expiresAt())
                .isAfter(lease.expiresAt());
        Leases.Check check = b.leases().check("src/a.java", "src/free.java");
        assertThat(check.free()).isFalse();
        assertThat(check.conflicts().get("src/a.java"))
                .extracting(Leases.Lease::holder)
                .containsExactly("alice");
        assertThat(b.leases().active()).extracting(Leases.Lease::resource).contains("src/a.java");
        assertThat(b.leases().heldBy("alice")).hasSize(1);
        assertThat(a.leases().release("src/a.java", lease.token()).token()).isEqualTo(lease.token());
        b.leases().grant("src/b.java", null, null);
        assertThat(admin.leases().forceRelease("src/b.java", "tests").holder()).isEqualTo("bob");
    }

    private static void messages(HubClient a, HubClient b) {
        try (EventStream events = b.messages().events(null)) {
            Messages.Message posted = a.messages().post("general", "hello @bob");
            assertThat(posted.kind()).isEqualTo("chat");
            assertThat(events.next().id()).isEqualTo(posted.id());
        }
        a.messages().dm("bob", "a direct word");
        Messages.Page chat = b.messages().chat("general", null, null, 10, null);
        assertThat(chat.messages()).extracting(Messages.Message::text).contains("hello @bob");
        Messages.Page inbox = b.messages().inbox(null, null, null);
        assertThat(inbox.messages()).extracting(Messages.Message::text).contains("a direct word");
        assertThat(b.messages().ack(inbox.nextCursor())).isEqualTo(inbox.nextCursor());
        assertThat(b.messages().channels()).contains("general");
    }

    private static void checkpoints(HubClient a) {
        Checkpoints.Checkpoint saved = a.checkpoints()
                .save(new Checkpoints.Data(
                        "client", "halfway", List.of("records"), null, List.of("docs"), null, null, 5000L));
        assertThat(saved.version()).isEqualTo(1);
        assertThat(a.checkpoints().history(null, null).latest().progress()).isEqualTo("halfway");
        assertThat(a.checkpoints().get(null, 1).pendingWork()).containsExactly("docs");
    }

    private static void handoffs(HubClient a, HubClient b) {
        Handoffs.Handoff made = a.handoffs()
                .create(new Handoffs.Request(
                        "bob", "Finish the client", "see docs", List.of("tests"), null, null, null, null));
        assertThat(made.to()).isEqualTo("agent:bob");
        assertThat(b.handoffs().list(null, true, null))
                .extracting(Handoffs.Handoff::id)
                .contains(made.id());
        assertThat(b.handoffs().get(made.id()).title()).isEqualTo("Finish the client");
        assertThat(b.handoffs().accept(made.id()).handoff().acceptedBy()).isEqualTo("bob");
        assertThat(b.handoffs().complete(made.id(), "done").status()).isEqualTo("completed");
        Handoffs.Handoff declined =
                a.handoffs().create(new Handoffs.Request("bob", "Second", null, null, null, null, null, null));
        assertThat(b.handoffs().decline(declined.id(), "busy").declinedBy()).contains("bob");
        Handoffs.Handoff cancelled =
                a.handoffs().create(new Handoffs.Request("any", "Third", null, null, null, null, null, null));
        assertThat(a.handoffs().cancel(cancelled.id(), "not needed").status()).isEqualTo("cancelled");
        assertThat(a.handoffs().transfer(null).from()).isEqualTo("alice");
    }

    private static void memories(HubClient a) {
        Memories.Written w = a.memories().remember("decision", "The client uses records", List.of("client"));
        assertThat(w.merged()).isFalse();
        assertThat(a.memories().recall("records", null, null, null))
                .extracting(Memories.Memory::id)
                .contains(w.memory().id());
        assertThat(a.memories().get(w.memory().id()).category()).isEqualTo("decision");
        assertThat(a.memories().forget(w.memory().id()).id())
                .isEqualTo(w.memory().id());
        assertThat(admin.memories().consolidate().isObject()).isTrue();
    }

    private static void usage(HubClient a) {
        Usage.Receipt r = a.usage().report(new Usage.Report("claude-haiku-4-5", 1000L, 100L, null, null, 20_000L));
        assertThat(r.directive()).isEqualTo("ok");
        assertThat(a.usage().summary(null, null, null, null).isObject()).isTrue();
        assertThat(a.usage().budget().path("level").asString()).isNotEmpty();
        assertThat(a.usage().routing("simple").path("advice").isArray()).isTrue();
        assertThatThrownBy(() -> admin.usage().acknowledge("alice", "no halt")).isInstanceOf(HubProblem.class);
    }

    private static void errors(HubClient a) {
        Errors.Recorded rec =
                a.errors().report(new Errors.NewError("Build broke", "details", "error", "build", null, null, null));
        assertThat(rec.created()).isTrue();
        String id = rec.issue().id();
        assertThat(a.errors().overview().path("unresolvedCount").asLong()).isEqualTo(1);
        assertThat(a.errors().issues("unresolved", null, null))
                .extracting(Errors.Issue::id)
                .containsExactly(id);
        assertThat(a.errors().issue(id).path("issue").path("id").asString()).isEqualTo(id);
        assertThat(a.errors().events(id, 5).path("events").size()).isEqualTo(1);
        assertThat(a.errors().setStatus(id, "resolved").status()).isEqualTo("resolved");
    }

    private static void ops(HubClient a) {
        assertThat(admin.withToken(null).ops().health().status()).isEqualTo("ok");
        assertThat(a.ops().status().path("overall").asString()).isNotEmpty();
        assertThat(a.ops().tier().path("tier").asInt()).isEqualTo(1);
        assertThat(admin.ops().setTier(1, "client test", null).isObject()).isTrue();
        assertThat(a.ops().alerts().path("rules").isArray()).isTrue();
        assertThat(a.ops().trace(null, "1h", null, 10).path("agentId").asString())
                .isEqualTo("alice");
        assertThat(a.ops().stalls().has("stalled")).isTrue();
        assertThat(a.ops().selfTestChecks().path("checks").isArray()).isTrue();
        assertThat(a.ops().hotStart(null, null).path("agent").path("id").asString())
                .isEqualTo("alice");
        assertThat(a.ops().hotStartMarkdown(null, 4000)).contains("alice");
        assertThat(a.ops().digest(null, "1h").isObject()).isTrue();
        assertThat(a.ops().metrics()).contains("hub_http_requests");
    }

    private static void tasks(HubClient a, HubClient b) {
        var created = a.tasks().create(Tasks.Request.of("client task", "do it"));
        assertThat(created.state()).isEqualTo("queued");
        assertThat(a.tasks().list("queued", null, null, 0, 10).tasks())
                .extracting(Tasks.Task::id)
                .contains(created.id());
        var claimed = b.tasks().claim(null, java.time.Duration.ofSeconds(1)).orElseThrow();
        assertThat(claimed.id()).isEqualTo(created.id());
        assertThat(b.tasks().renew(claimed.id(), claimed.token(), null).token()).isEqualTo(claimed.token());
        assertThatThrownBy(() -> a.tasks().complete(claimed.id(), claimed.token() + 1000, "no"))
                .isInstanceOf(HubProblem.class);
        assertThat(b.tasks().complete(claimed.id(), claimed.token(), "done").state())
                .isEqualTo("done");
        assertThat(a.tasks().get(created.id()).history()).isNotEmpty();
        var second = a.tasks().create(Tasks.Request.of("second", null));
        var again = b.tasks().claim(null, null).orElseThrow();
        assertThat(b.tasks().fail(again.id(), again.token(), "cannot").state()).isIn("failed", "dead");
        var third = a.tasks().create(Tasks.Request.of("third", null));
        assertThat(a.tasks().cancel(third.id(), "not needed").state()).isEqualTo("cancelled");
        assertThat(second.id()).isNotEqualTo(third.id());
        assertThat(b.tasks().claim(null, null)).as("nothing else is ready").isEmpty();
        assertThat(a.ops().pools().path("pools").isArray()).isTrue();
        assertThat(a.ops().scaling().path("pools").isArray()).isTrue();
        assertThat(admin.ops().scaleDown("default", 1).path("pool").asString()).isEqualTo("default");
    }

    private static void drills(HubClient a) {
        io.agenthub.client.Drills.Run run = admin.drills().run(false);
        assertThat(run.steps()).isNotEmpty();
        assertThat(run.score()).isBetween(0, 100);
        assertThat(a.drills().history(5))
                .extracting(io.agenthub.client.Drills.Run::id)
                .contains(run.id());
        assertThat(admin.drills().chaos("lease-contention", 1, 3).path("ok").asBoolean())
                .isTrue();
    }

    private static void rollouts(HubClient a) {
        var r = admin.rollouts();
        assertThat(r.canary("web", "v2", "v1", "10,50,100", "1h", "5%", "1.5")
                        .path("pool")
                        .asString())
                .isEqualTo("web");
        assertThat(r.list().path("rollouts").size()).isEqualTo(1);
        assertThat(r.get("web").path("pool").asString()).isEqualTo("web");
        r.pause("web");
        r.resume("web");
        r.promote("web");
        r.rollback("web", "client test");
        r.end("web");
        assertThat(r.blueGreen("api", "g2", "b1").path("pool").asString()).isEqualTo("api");
        r.verify("api");
        r.switchToGreen("api", true);
        r.setFlag(
                "fast-path",
                new io.agenthub.client.Rollouts.Flag(
                        "boolean",
                        false,
                        List.of(new io.agenthub.client.Rollouts.Rule(List.of("alice"), null, null, null, true)),
                        true,
                        "client test"));
        assertThat(r.flagDefinitions().path("flags").size()).isEqualTo(1);
        assertThat(a.rollouts().flags().path("flags").path("fast-path").asBoolean())
                .isTrue();
        r.deleteFlag("fast-path");
    }

    /** Admin calls, last: they disable an agent and rotate keys (the old admin token stays valid for an hour). */
    private static void adminCalls(HubClient a) {
        var keys = admin.admin();
        String id = keys.createJoinKey("temp").id();
        assertThat(keys.joinKeys().path("joinKeys").size()).isGreaterThanOrEqualTo(2);
        keys.revokeJoinKey(id);
        assertThat(keys.audit(null, null, 5).path("events").isArray()).isTrue();
        assertThat(keys.safetyReport("24h").events()).containsKey("bad_token");
        assertThat(keys.export()).contains("\"type\":\"agent\"");
        var streamed = new java.io.ByteArrayOutputStream();
        keys.exportTo(streamed);
        assertThat(streamed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"type\":\"end\"");
        keys.disableAgent("carol", "test");
        assertThatThrownBy(() -> keys.disableAgent("nobody", "test")).isInstanceOf(HubProblem.NotFound.class);
        assertThat(keys.enableAgent("carol", "back").path("wasDisabled").asBoolean())
                .isTrue();
        assertThat(keys.rotateKeys(3600L).path("adminToken").asString()).isNotBlank();
        String check =
                a.ops().selfTestChecks().path("checks").get(0).path("name").asString();
        assertThat(a.ops().selfTest(check).path("results").isArray()).isTrue();
        assertThatThrownBy(a.ops()::selfTestResults)
                .as("a run of one check is not recorded as the latest run")
                .isInstanceOf(HubProblem.NotFound.class);
    }
}
