package io.agenthub.cli;

import io.agenthub.client.Drills;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hub drill}: runs the coordination drill on a live hub, or lists its history. */
final class DrillCommands {
    private DrillCommands() {}

    @Command(
            name = "drill",
            description = "Run the coordination drill now (admin): simulated agents in a scratch namespace go through"
                    + " claims, chat, handoffs, an agent kill, checkpoint and hot-start, budgets, tiers, a canary and"
                    + " a task; prints each step's latency and the score (exit code 1 if a step fails).")
    static final class DrillCommand extends Cli.Remote implements Callable<Integer> {
        @Option(
                names = "--live-tier",
                description = "Also change the live hub's tier and back (the whole fleet sees it for a moment).")
        boolean liveTier;

        @Option(names = "--history", description = "List the stored drills instead of running one.")
        boolean history;

        @Option(names = "--limit", description = "With --history: how many runs (default 10, at most 52).")
        int limit = 10;

        @Override
        public Integer call() {
            if (history) {
                Table t = new Table("DRILL", "STARTED", "TRIGGER", "SCORE", "STEPS", "MS", "FAILED");
                for (Drills.Run r : api().drills().history(limit)) {
                    t.row(
                            r.id(),
                            r.startedAt(),
                            r.trigger(),
                            r.score(),
                            r.passed() + "/" + (r.passed() + r.failed()),
                            r.durationMillis(),
                            String.join(", ", failed(r)));
                }
                System.out.print(t.render());
                return 0;
            }
            Drills.Run run = api().drills().run(liveTier);
            System.out.print(report(run));
            return run.ok() ? 0 : 1;
        }
    }

    /** The scored report: one line per step, then the score. */
    static String report(Drills.Run run) {
        Table t = new Table("STEP", "STATUS", "MS", "BUDGET", "POINTS", "MESSAGE");
        for (Drills.Step s : run.steps()) {
            t.row(s.name(), s.status(), s.latencyMillis(), s.budgetMillis(), s.points(), s.message());
        }
        return "Coordination drill " + run.id() + " (" + run.trigger() + ", node " + run.node() + ")\n" + t.render()
                + "Score " + run.score() + "/100: " + run.passed() + " passed, " + run.failed() + " failed, "
                + run.skipped() + " skipped in " + run.durationMillis() + " ms"
                + (run.ok() ? "" : "; FAILED: " + String.join(", ", failed(run))) + "\n";
    }

    private static List<String> failed(Drills.Run r) {
        return r.steps().stream()
                .filter(s -> s.status().equalsIgnoreCase("fail"))
                .map(Drills.Step::name)
                .toList();
    }

    @Command(
            name = "chaos",
            description =
                    "Run a chaos scenario against a live hub (admin), with simulated agents in a scratch namespace:"
                            + " agent-shutdown, throttling or lease-contention. Prints the checks and what the hub did, and"
                            + " posts a summary to the ops channel (exit code 1 if a check fails). hub-kill, redis-latency,"
                            + " redis-loss, partition and agent-kill need process control and run only in the CI chaos suite.")
    static final class ChaosCommand extends Cli.Remote implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", description = "The scenario.")
        String scenario;

        @Option(names = "--duration", description = "How long, e.g. 60s or 5m (default 60s, at most 10m).")
        String duration = "60s";

        @Option(names = "--agents", description = "Simulated agents (default 10).")
        int agents = 10;

        @Override
        public Integer call() {
            if (io.agenthub.server.drill.Chaos.CI_ONLY.contains(scenario)) {
                System.out.println("Scenario " + scenario + " needs process control of the hub or its Redis (kill -9, a"
                        + " fault proxy); it runs only in the CI chaos suite (.ci/run, docs/chaos.md).");
                return 0;
            }
            long seconds =
                    io.agenthub.server.config.HubConfig.parseDuration(duration).toSeconds();
            tools.jackson.databind.JsonNode r = api().drills().chaos(scenario, (int) seconds, agents);
            System.out.println("Chaos " + r.path("scenario").asString() + " ("
                    + r.path("id").asString() + ", " + r.path("durationMillis").asLong() + " ms)");
            for (tools.jackson.databind.JsonNode line : r.path("timeline")) {
                System.out.println("  " + line.asString());
            }
            Table t = new Table("CHECK", "STATUS", "MESSAGE");
            for (tools.jackson.databind.JsonNode c : r.path("checks")) {
                t.row(
                        c.path("name").asString(),
                        c.path("status").asString(),
                        c.path("message").asString());
            }
            System.out.print(t.render());
            System.out.println(r.path("ok").asBoolean() ? "All checks hold." : "FAILED: a check broke.");
            return r.path("ok").asBoolean() ? 0 : 1;
        }
    }
}
