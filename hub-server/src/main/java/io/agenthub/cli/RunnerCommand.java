package io.agenthub.cli;

import io.agenthub.server.config.HubConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hub runner}: starts, restarts and scales agent processes for a pool's tasks (see {@link Runner}). */
@Command(
        name = "runner",
        mixinStandardHelpOptions = true,
        description =
                "Run agents for a pool: enrol them with a join key (HUB_JOIN_KEY), claim the pool's tasks, start"
                        + " one process per task from --command (/bin/sh -c; the task, the agent's token and the hub URL in"
                        + " its environment: HUB_URL, HUB_TOKEN, HUB_AGENT_ID, HUB_TASK_ID, HUB_TASK_TITLE, HUB_TASK_BODY (a"
                        + " file), HUB_HOT_START (a file); placeholders {task_id} {task_title} {task_body_file} {agent_id}"
                        + " {hub_url} {pool}, shell-quoted), renew the claim while it runs, complete on exit 0 and fail"
                        + " otherwise, restart a crashed process as the same agent, and scale between --min and --max by the"
                        + " queue and the hub's scaling recommendation (idle agents checkpoint and leave). Ctrl-C stops after the agents checkpoint. docs/claude-code.md has a Claude Code template.")
final class RunnerCommand implements Callable<Integer> {
    @Option(names = "--pool", required = true, description = "Pool whose tasks the agents claim.")
    String pool;

    @Option(
            names = "--command",
            required = true,
            description =
                    "Command template run by /bin/sh -c for each task, e.g. 'claude -p \"$(cat $HUB_TASK_BODY)\"'.")
    String command;

    @Option(names = "--min", defaultValue = "0", description = "Agents kept even with an empty queue (default 0).")
    int min;

    @Option(names = "--max", defaultValue = "4", description = "At most this many agents and processes (default 4).")
    int max;

    @Option(
            names = "--idle-exit",
            defaultValue = "10m",
            description = "An agent without a task this long checkpoints and leaves, down to --min (default 10m).")
    String idleExit;

    @Option(names = "--restarts", defaultValue = "2", description = "Restarts of a crashed process per task (2).")
    int restarts;

    @Option(names = "--url", description = "Hub URL (default: $HUB_URL or http://127.0.0.1:7700).")
    String url;

    @Option(names = "--join-key", description = "Join key to enrol agents with (default: $HUB_JOIN_KEY).")
    String joinKey;

    @Option(names = "--state-dir", description = "Agents' cached tokens and task files (default ./hub-runner).")
    Path stateDir;

    @Option(names = "--log-dir", description = "Processes' stdout and stderr (default <state-dir>/logs).")
    Path logDir;

    @Option(names = "--dir", description = "Working directory of the processes (default: the current one).")
    Path workDir;

    @Option(names = "--host", description = "Machine name in agent ids <pool>-runner-<host>-<n> (default: hostname).")
    String host;

    @Option(names = "--claim-ttl", defaultValue = "5m", description = "Claim TTL, renewed while a process runs (5m).")
    String claimTtl;

    @Option(names = "--stop-grace", defaultValue = "30s", description = "How long Ctrl-C waits for processes (30s).")
    String stopGrace;

    @Option(names = "--log-max-bytes", defaultValue = "10485760", description = "Log size that rotates (10 MiB).")
    long logMaxBytes;

    @Option(names = "--poll", defaultValue = "2s", hidden = true, description = "Supervisor interval.")
    String poll;

    @Option(names = "--claim-wait", defaultValue = "20s", hidden = true, description = "Long poll of a claim.")
    String claimWait;

    @Option(names = "--dry-run", description = "Print what it would start and exit.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        if (min < 0 || max < 1 || min > max) {
            throw new CliFailure("--min and --max must satisfy 0 <= min <= max and max >= 1.");
        }
        Path state = (stateDir != null ? stateDir : Path.of("hub-runner")).toAbsolutePath();
        Runner.Settings settings = new Runner.Settings(
                strip(url != null ? url : env.getOrDefault("HUB_URL", "http://127.0.0.1:7700")),
                joinKey != null ? joinKey : env.get("HUB_JOIN_KEY"),
                pool,
                command,
                min,
                max,
                duration("--idle-exit", idleExit),
                state,
                (logDir != null ? logDir : state.resolve("logs")).toAbsolutePath(),
                (workDir != null ? workDir : Path.of("")).toAbsolutePath(),
                host != null ? host : Runner.hostName(),
                duration("--poll", poll),
                duration("--claim-wait", claimWait),
                duration("--claim-ttl", claimTtl),
                restarts,
                duration("--stop-grace", stopGrace),
                logMaxBytes,
                3);
        Runner runner = new Runner(settings, System.err);
        if (dryRun) {
            int queued = -1;
            String token = env.getOrDefault("HUB_TOKEN", env.get("HUB_ADMIN_TOKEN"));
            try {
                queued = Runner.queued(Connect.to(settings.hubUrl(), token), pool);
            } catch (io.agenthub.client.HubProblem e) {
                System.err.println("hub: cannot read the queue (" + e.getMessage() + ")");
            }
            runner.plan(queued).forEach(System.out::println);
            return 0;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.close();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runner.run();
        } finally {
            done.countDown();
        }
        return 0;
    }

    private static Duration duration(String name, String value) {
        Duration d;
        try {
            d = HubConfig.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(name + " must be a duration such as 500ms, 30s, 10m or 2h; got " + value + ".");
        }
        if (d.isZero() || d.isNegative()) {
            throw new CliFailure(name + " must be positive, e.g. 10m or 30s.");
        }
        return d;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
