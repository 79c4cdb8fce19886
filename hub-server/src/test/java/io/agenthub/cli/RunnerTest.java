package io.agenthub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code hub runner} against a real hub, with a fake agent script (src/test/resources/runner/fake-agent.sh) in place
 * of Claude Code: it reads its task, edits a file under a lease, reports usage, and exits 0, exits 1 or crashes as
 * its task's title says.
 */
class RunnerTest {
    @TempDir
    Path tmp;

    private TestHub hub;
    private String joinKey;
    private Path script;
    private Path work;
    private Path runs;
    private final List<Runner> runners = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        // The runner's agents belong to pool web because their join key says so: pool is a privileged label.
        hub = new TestHub(Map.of("join-key-labels", "runners:pool=web"), java.time.Clock.systemUTC());
        joinKey = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "runners"))
                .json()
                .path("joinKey")
                .asString();
        script = tmp.resolve("fake-agent.sh");
        try (InputStream in = getClass().getResourceAsStream("/runner/fake-agent.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        work = Files.createDirectories(tmp.resolve("work"));
        runs = tmp.resolve("runs.txt");
    }

    @AfterEach
    void stop() {
        runners.forEach(Runner::close);
        hub.close();
    }

    private Runner.Settings settings(int min, int max, Duration idleExit) {
        return settings(min, max, idleExit, Duration.ofSeconds(1));
    }

    private Runner.Settings settings(int min, int max, Duration idleExit, Duration claimWait) {
        return new Runner.Settings(
                hub.url(),
                joinKey,
                "web",
                "RUNS=" + runs + " WORK=" + work + " " + script,
                min,
                max,
                idleExit,
                tmp.resolve("state"),
                tmp.resolve("state/logs"),
                work,
                "test",
                Duration.ofMillis(100),
                claimWait,
                // Renewed every third; long enough that a loaded build machine does not lose claims.
                Duration.ofSeconds(10),
                2,
                Duration.ofSeconds(5),
                4096,
                3);
    }

    private Runner run(Runner.Settings settings) {
        Runner runner = new Runner(settings, new PrintStream(log, true, StandardCharsets.UTF_8));
        runners.add(runner);
        Thread.ofVirtual().start(() -> {
            try {
                runner.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return runner;
    }

    private String task(String title) {
        return task(title, Map.of());
    }

    private String task(String title, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
        body.put("title", title);
        body.put("body", "Body of " + title);
        body.put("pool", "web");
        TestHub.Response r = hub.post(TestHub.ADMIN, "/api/tasks", body);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private JsonNode taskState(String id) {
        return hub.get(TestHub.ADMIN, "/api/tasks/" + id).json().path("task");
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; runner log:\n" + log);
            }
            Thread.sleep(50);
        }
    }

    private boolean done(String id) {
        return taskState(id).path("state").asString().equals("done");
    }

    @Test
    void scales_up_with_a_growing_queue_and_never_runs_more_than_max() throws Exception {
        Runner runner = run(settings(0, 3, Duration.ofMinutes(1)));
        String first = task("sleep 1");
        await("the first task is done", () -> done(first));
        assertThat(runner.mostRunning()).as("one task, one process").isEqualTo(1);
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            more.add(task("sleep 2"));
        }
        await("all tasks are done", () -> more.stream().allMatch(this::done));
        assertThat(runner.mostRunning()).isEqualTo(3);
        assertThat(runner.starts().stream().map(Runner.Start::agentId).distinct())
                .containsExactlyInAnyOrder("web-runner-test-1", "web-runner-test-2", "web-runner-test-3");
        assertThat(Files.readString(work.resolve(first + ".txt"))).contains("Body of sleep 1");
        JsonNode usage =
                hub.get(TestHub.ADMIN, "/api/usage?agentId=web-runner-test-1").json();
        assertThat(usage.path("total").path("inputTokens").asLong()).isPositive();
        assertThat(taskState(first).path("result").asString()).contains("did " + first);
    }

    @Test
    void a_crashed_agent_is_started_again_as_the_same_agent() throws Exception {
        Runner runner = run(settings(0, 2, Duration.ofMinutes(1)));
        String id = task("crash-once");
        await("the task is done", () -> done(id));
        assertThat(runner.starts())
                .containsExactly(
                        new Runner.Start("web-runner-test-1", id, 0), new Runner.Start("web-runner-test-1", id, 1));
        assertThat(Files.readAllLines(runs))
                .containsExactly("web-runner-test-1 " + id + " 0", "web-runner-test-1 " + id + " 1");
        // Soul injection: the restarted process's briefing names the checkpoint its crashed run saved.
        assertThat(Files.readString(work.resolve(id + ".hot-start.md"))).contains("half way through " + id);
    }

    @Test
    void idle_agents_leave_on_the_hubs_recommendation_before_their_idle_exit() throws Exception {
        Runner runner = run(settings(0, 3, Duration.ofMinutes(10)));
        List<String> ids = List.of(task("sleep 2"), task("sleep 2"), task("sleep 2"));
        await("all tasks are done", () -> ids.stream().allMatch(this::done));
        assertThat(runner.starts().stream().map(Runner.Start::agentId).distinct())
                .hasSize(3);
        // Nothing queued, three idle agents, scaling-min-agents 1: the hub recommends removing two.
        await("two agents left", () -> runner.agents() == 1);
        Thread.sleep(1_000);
        assertThat(runner.agents())
                .as("the agents that left still count as online; no more leave")
                .isEqualTo(1);
        assertThat(log.toString()).contains("the hub recommends: remove").contains("left: the hub recommends");
        long checkpoints = List.of("web-runner-test-1", "web-runner-test-2", "web-runner-test-3").stream()
                .filter(agent -> latestProgress(agent).contains("the hub recommends"))
                .count();
        assertThat(checkpoints).isEqualTo(2);
    }

    @Test
    void the_hubs_scale_down_directive_makes_an_idle_agent_checkpoint_and_exit() throws Exception {
        hub.close();
        // With scaling-min-agents 5 the hub recommends nothing here: only the admin's scale-down acts.
        hub = new TestHub(
                Map.of("join-key-labels", "runners:pool=web", "scaling-min-agents", "5"), java.time.Clock.systemUTC());
        joinKey = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "runners"))
                .json()
                .path("joinKey")
                .asString();
        Runner runner = run(settings(0, 2, Duration.ofMinutes(10)));
        List<String> ids = List.of(task("sleep 2"), task("sleep 2"));
        await("both tasks are done", () -> ids.stream().allMatch(this::done));
        await("two agents are up", () -> runner.agents() == 2);
        TestHub.Response down = hub.post(TestHub.ADMIN, "/api/scaling/web/scale-down", Map.of("count", 1));
        assertThat(down.status()).as(down.raw().body()).isEqualTo(200);
        String chosen = down.json().path("agents").get(0).asString();
        await(
                "the chosen agent left",
                () -> log.toString().contains(chosen + " left: the hub told " + chosen + " to checkpoint and exit"));
        assertThat(runner.agents()).isEqualTo(1);
        assertThat(latestProgress(chosen)).contains("checkpoint and exit");
    }

    @Test
    void the_wanted_number_follows_the_queue_and_the_hubs_recommendation_within_min_and_max() {
        Runner.Advice hold = Runner.Advice.NONE;
        assertThat(Runner.want(0, 4, 0, 0, 3, hold)).isEqualTo(3);
        assertThat(Runner.want(0, 4, 2, 2, 9, hold)).isEqualTo(4);
        assertThat(Runner.want(1, 4, 0, 0, 0, hold)).isEqualTo(1);
        assertThat(Runner.want(0, 4, 1, 1, 0, new Runner.Advice("add", 2, "utilisation")))
                .isEqualTo(3);
        assertThat(Runner.want(0, 4, 3, 0, 0, new Runner.Advice("remove", 2, "low_volume")))
                .isEqualTo(1);
        assertThat(Runner.want(0, 4, 3, 2, 0, new Runner.Advice("remove", 2, "low_volume")))
                .as("never below the busy agents")
                .isEqualTo(2);
        assertThat(Runner.want(2, 4, 3, 0, 0, new Runner.Advice("remove", 3, "low_volume")))
                .isEqualTo(2);
        assertThat(Runner.want(0, -1 + 4, 3, 0, -1, hold)).as("queue not read").isEqualTo(0);
    }

    private String latestProgress(String agent) {
        try {
            String token =
                    Files.readString(tmp.resolve("state/" + agent + ".token")).strip();
            return hub.get(token, "/api/checkpoints")
                    .json()
                    .path("latest")
                    .path("progress")
                    .asString("");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void exit_code_1_fails_the_task_with_the_end_of_stderr() throws Exception {
        run(settings(0, 1, Duration.ofMinutes(1)));
        String id = task("fail", Map.of("maxAttempts", 1));
        await(
                "the task failed",
                () -> !taskState(id).path("state").asString().equals("queued")
                        && !taskState(id).path("state").asString().equals("claimed"));
        assertThat(taskState(id).path("reason").asString())
                .contains("exit code 1")
                .contains("could not do it: the build is broken");
        assertThat(Files.readString(tmp.resolve("state/logs/web-runner-test-1.err.log")))
                .contains("could not do it");
    }

    @Test
    void idle_agents_checkpoint_and_leave_when_the_queue_is_empty() throws Exception {
        Runner runner = run(settings(0, 2, Duration.ofSeconds(1)));
        String a = task("sleep 1");
        String b = task("sleep 1");
        await("both tasks are done", () -> done(a) && done(b));
        await("every agent left", () -> runner.agents() == 0);
        for (String agent : List.of("web-runner-test-1", "web-runner-test-2")) {
            String token =
                    Files.readString(tmp.resolve("state/" + agent + ".token")).strip();
            // The slot is gone first; its checkpoint follows.
            await(
                    agent + " saved its checkpoint",
                    () -> hub.get(token, "/api/checkpoints")
                            .json()
                            .path("latest")
                            .path("progress")
                            .asString()
                            .contains("Scaled down by hub runner"));
        }
    }

    @Test
    void min_agents_stay_on_an_empty_queue() throws Exception {
        Runner runner = run(settings(1, 2, Duration.ofMillis(300)));
        await("one agent is up", () -> runner.agents() == 1);
        Thread.sleep(1_000);
        assertThat(runner.agents()).isEqualTo(1);
    }

    @Test
    void tier_4_stops_new_starts_until_it_is_lifted() throws Exception {
        Runner runner = run(settings(0, 2, Duration.ofMinutes(1)));
        await("the runner enrolled its first agent", () -> Files.exists(tmp.resolve("state/web-runner-test-1.token")));
        hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 4, "reason", "maintenance"));
        String id = task("quick");
        await("the runner pauses", () -> runner.paused() != null);
        Thread.sleep(1_000);
        assertThat(runner.starts()).isEmpty();
        assertThat(taskState(id).path("state").asString()).isEqualTo("queued");
        hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "done"));
        await("the task is done", () -> done(id));
        assertThat(runner.paused()).isNull();
    }

    @Test
    void a_budget_halt_stops_new_starts() throws Exception {
        hub.close();
        hub = new TestHub(
                Map.of(
                        "budget-info-usd",
                        "1",
                        "budget-warn-usd",
                        "1",
                        "budget-throttle-usd",
                        "1",
                        "budget-halt-usd",
                        "1",
                        "join-key-labels",
                        "runners:pool=web"),
                java.time.Clock.systemUTC());
        joinKey = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "runners"))
                .json()
                .path("joinKey")
                .asString();
        String spender = hub.agent("spender");
        // claude-haiku-4-5 costs $1 per million input tokens: $2, past the $1 halt.
        hub.post(spender, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 2_000_000));
        assertThat(hub.get(TestHub.ADMIN, "/api/budget").json().path("halts").toString())
                .contains("fleet");
        Runner runner = run(settings(0, 2, Duration.ofMinutes(1)));
        String id = task("quick");
        await("the runner pauses", () -> runner.paused() != null);
        Thread.sleep(1_000);
        assertThat(runner.paused()).contains("budget");
        assertThat(runner.starts()).isEmpty();
        assertThat(taskState(id).path("state").asString()).isEqualTo("queued");
    }

    @Test
    void a_restarted_runner_keeps_its_agents_identities() throws Exception {
        Runner first = run(settings(0, 1, Duration.ofMinutes(1)));
        String a = task("quick");
        await("the first task is done", () -> done(a));
        first.close();
        String token = Files.readString(tmp.resolve("state/web-runner-test-1.token"));
        Runner second = run(settings(0, 1, Duration.ofMinutes(1)));
        String b = task("quick");
        await("the second task is done", () -> done(b));
        assertThat(second.starts()).containsExactly(new Runner.Start("web-runner-test-1", b, 0));
        assertThat(Files.readString(tmp.resolve("state/web-runner-test-1.token")))
                .isEqualTo(token);
    }

    @Test
    void stopping_asks_running_agents_to_exit_and_fails_their_tasks_for_a_retry() throws Exception {
        Runner runner = run(settings(0, 1, Duration.ofMinutes(1)));
        String id = task("sleep 30");
        // The agent wrote its file: it is past its start-up and set its SIGTERM handler.
        await("the task runs", () -> Files.exists(work.resolve(id + ".txt")));
        long t0 = System.nanoTime();
        runner.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        JsonNode t = taskState(id);
        assertThat(t.path("state").asString()).isIn("queued", "failed");
        assertThat(hub.get(TestHub.ADMIN, "/api/tasks/" + id).json().toString()).contains("stopped by hub runner");
        // The process saved its checkpoint on SIGTERM before the runner returned.
        assertThat(latestProgress("web-runner-test-1")).isEqualTo("stopped by SIGTERM while on " + id);
    }

    @Test
    void stopping_an_idle_runner_does_not_wait_for_its_long_polls() throws Exception {
        Runner runner = run(settings(1, 1, Duration.ofMinutes(10), Duration.ofSeconds(20)));
        await("one agent is up", () -> runner.agents() == 1);
        Thread.sleep(500);
        long t0 = System.nanoTime();
        runner.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(log.toString()).doesNotContain("cannot claim").doesNotContain("left: idle");
    }

    @Test
    void the_dry_run_names_the_agents_and_the_command_with_the_task_quoted() {
        Runner runner =
                new Runner(settings(1, 3, Duration.ofMinutes(10)), new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> plan = runner.plan(2);
        assertThat(String.join("\n", plan))
                .contains("2 task(s) queued; would start 2 now")
                .contains("agent web-runner-test-1 (would enrol with the join key)")
                .contains("agent web-runner-test-2")
                .doesNotContain("web-runner-test-3")
                .contains("HUB_TOKEN=<the agent's token>");
        assertThat(String.join("\n", plan))
                .contains("per task, in " + work + ": /bin/sh -c")
                .contains("logs: " + tmp.resolve("state/logs"));
        assertThat(runner.starts()).as("a dry run starts nothing").isEmpty();
        assertThat(tmp.resolve("state")).doesNotExist();
        assertThat(Runner.expand("run {task_title}", Map.of("task_title", "x'; rm -rf / #")))
                .isEqualTo("run 'x'\\''; rm -rf / #'");
    }

    @Test
    void logs_rotate_past_their_size() throws Exception {
        Path file = tmp.resolve("logs/a.out.log");
        try (Runner.RotatingLog out = new Runner.RotatingLog(file, 10, 2)) {
            for (int i = 0; i < 5; i++) {
                out.write("12345678\n".getBytes(StandardCharsets.UTF_8), 9);
            }
        }
        assertThat(Files.readString(file)).isEqualTo("12345678\n");
        assertThat(Path.of(file + ".1")).exists();
        assertThat(Path.of(file + ".2")).exists();
        assertThat(Path.of(file + ".3")).doesNotExist();
    }
}
