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
}
