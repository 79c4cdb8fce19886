package io.agenthub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code hub rollout}: canary and blue-green rollouts of an agent version in a pool, each step a command that calls
 * {@code /api/rollouts}.
 */
final class RolloutCommands {
    private RolloutCommands() {}

    @Command(
            name = "rollout",
            description = "Roll a new agent version out to a pool: canary or blue-green, with rollback.",
            subcommands = {
                ListRollouts.class,
                Canary.class,
                BlueGreen.class,
                Verify.class,
                Switch.class,
                Pause.class,
                Resume.class,
                Promote.class,
                Rollback.class,
                End.class
            })
    static final class Rollout implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("Name a subcommand: list, canary, bluegreen, verify, switch, pause, resume, promote or"
                    + " rollback or end (hub rollout --help).");
            return 2;
        }
    }

    /** One rollout: its stage, routing, health of both sides and the latest decisions. */
    static void print(JsonNode r, int decisions) {
        System.out.println(
                "pool " + r.path("pool").asString() + ": " + r.path("strategy").asString() + " of "
                        + r.path("candidate").asString() + " (baseline "
                        + r.path("baseline").asString() + "), stage "
                        + r.path("stage").asString() + ", " + r.path("weight").asInt() + "% of new tasks to "
                        + r.path("candidate").asString());
        if (!r.path("verification").asString().isEmpty()) {
            System.out.println("  verification: " + r.path("verification").asString());
        }
        JsonNode h = r.path("health");
        if (!h.isMissingNode()) {
            for (String side : new String[] {"baseline", "candidate"}) {
                JsonNode s = h.path(side);
                System.out.printf(
                        "  %-9s %d done, %d failed, %d error reports, %.1f%% errors, mean %d ms%n",
                        side,
                        s.path("completed").asLong(),
                        s.path("failed").asLong(),
                        s.path("errors").asLong(),
                        s.path("errorRate").asDouble() * 100,
                        s.path("meanDurationMs").asLong());
            }
        }
        JsonNode log = r.path("log");
        for (int i = Math.max(0, log.size() - decisions); i < log.size(); i++) {
            JsonNode d = log.get(i);
            System.out.println(
                    "  " + d.path("at").asString() + " " + d.path("by").asString() + " "
                            + d.path("action").asString()
                            + (d.path("detail").asString().isEmpty()
                                    ? ""
                                    : ": " + d.path("detail").asString()));
        }
    }

    @Command(name = "list", description = "Every pool's rollout with its health and recent decisions.")
    static final class ListRollouts extends Cli.Remote implements Callable<Integer> {
        @Option(names = "--pool", description = "Only this pool, with its whole decision log.")
        String pool;

        @Override
        public Integer call() {
            if (pool != null) {
                print(client().rollouts().get(pool), Integer.MAX_VALUE);
                return 0;
            }
            JsonNode all = client().rollouts().list().path("rollouts");
            if (all.isEmpty()) {
                System.out.println("No rollouts; start one with hub rollout canary or hub rollout bluegreen.");
            }
            all.forEach(r -> print(r, 3));
            return 0;
        }
    }

    @Command(name = "canary", description = "Start a canary: the new version's share of new tasks grows in steps.")
    static final class Canary extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Option(names = "--version", required = true, description = "The new version (agents' label version).")
        String version;

        @Option(names = "--baseline", description = "The version in production (default: the pool's).")
        String baseline;

        @Option(names = "--steps", description = "Weights in percent (default 10,50,100).")
        String steps;

        @Option(names = "--hold", description = "How long each step is observed (default 1h), e.g. 24h.")
        String hold;

        @Option(names = "--max-error-rate", description = "Roll back above this failure rate (default 5%%).")
        String maxErrorRate;

        @Option(names = "--max-latency-ratio", description = "Roll back above this duration ratio (default 1.5).")
        String maxLatencyRatio;

        @Override
        public Integer call() {
            print(client().rollouts().canary(pool, version, baseline, steps, hold, maxErrorRate, maxLatencyRatio), 1);
            return 0;
        }
    }

    @Command(name = "bluegreen", description = "Start blue-green: tasks labelled test go to green, production to blue.")
    static final class BlueGreen extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Option(names = "--green", required = true, description = "The new version.")
        String green;

        @Option(names = "--blue", description = "The version in production (default: the pool's).")
        String blue;

        @Override
        public Integer call() {
            print(client().rollouts().blueGreen(pool, green, blue), 1);
            return 0;
        }
    }

    @Command(name = "verify", description = "Blue-green: judge green by its finished test tasks.")
    static final class Verify extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Override
        public Integer call() {
            JsonNode r = client().rollouts().verify(pool);
            print(r, 1);
            return r.path("stage").asString().equals("verified") ? 0 : 1;
        }
    }

    @Command(name = "switch", description = "Blue-green: send production tasks to green in one step.")
    static final class Switch extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Option(names = "--force", description = "Switch without a passed verification.")
        boolean force;

        @Override
        public Integer call() {
            print(client().rollouts().switchToGreen(pool, force), 1);
            return 0;
        }
    }

    @Command(name = "pause", description = "Canary: hold at the current weight; no evaluation.")
    static final class Pause extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Override
        public Integer call() {
            print(client().rollouts().pause(pool), 1);
            return 0;
        }
    }

    @Command(name = "resume", description = "Canary: observe the current step again from now.")
    static final class Resume extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Override
        public Integer call() {
            print(client().rollouts().resume(pool), 1);
            return 0;
        }
    }

    @Command(name = "promote", description = "Canary: give the new version all new tasks now.")
    static final class Promote extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Override
        public Integer call() {
            print(client().rollouts().promote(pool), 1);
            return 0;
        }
    }

    @Command(name = "rollback", description = "Send new and queued routed tasks back to the baseline (blue).")
    static final class Rollback extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Option(names = "--reason", description = "Why (recorded and announced).")
        String reason;

        @Override
        public Integer call() {
            print(client().rollouts().rollback(pool, reason), 1);
            return 0;
        }
    }

    @Command(name = "end", description = "Remove a finished rollout: new tasks of the pool name no version again.")
    static final class End extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Pool.")
        String pool;

        @Override
        public Integer call() {
            client().rollouts().end(pool);
            System.out.println("rollout of pool " + pool + " ended");
            return 0;
        }
    }
}
