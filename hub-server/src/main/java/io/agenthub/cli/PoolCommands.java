package io.agenthub.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code hub pools} and {@code hub scaling}: pools and versions, the scaling advice, and scale-down. */
final class PoolCommands {
    private PoolCommands() {}

    @Command(
            mixinStandardHelpOptions = true,
            name = "pools",
            description = "Pools: agents by version and presence, queue, claims per minute, success rate and mean task"
                    + " duration per version (GET /api/pools).")
    static final class Pools extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode r = client().ops().pools();
            Table t = new Table(
                    "POOL", "VERSION", "ONLINE", "STALE", "OFFLINE", "BUSY", "CLAIMS/MIN", "SUCCESS", "MEAN S");
            for (JsonNode p : r.path("pools")) {
                System.out.println("pool " + p.path("pool").asString() + ": "
                        + p.path("online").asInt() + " online, "
                        + p.path("busy").asInt() + " busy, "
                        + p.path("queueDepth").asInt() + " queued (oldest "
                        + p.path("oldestAgeSeconds").asLong() + " s), " + num(p.path("claimsPerMinute"))
                        + " claims/min");
                for (JsonNode v : p.path("versions")) {
                    t.row(
                            p.path("pool").asString(),
                            v.path("version").asString().isEmpty()
                                    ? "-"
                                    : v.path("version").asString(),
                            v.path("online").asInt(),
                            v.path("stale").asInt(),
                            v.path("offline").asInt(),
                            v.path("busy").asInt(),
                            num(v.path("claimsPerMinute")),
                            v.path("successRate").isNull() ? "-" : num(v.path("successRate")),
                            v.path("meanTaskSeconds").isNull() ? "-" : num(v.path("meanTaskSeconds")));
                }
            }
            System.out.print(t.render());
            System.out.println("rates over the last " + r.path("window").asString());
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "scaling",
            description = "The scaling rules per pool and their recommendation (GET /api/scaling); 'scaling down'"
                    + " tells idle agents to checkpoint and exit.",
            subcommands = {ScaleDown.class})
    static final class Scaling extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode r = client().ops().scaling();
            Table t = new Table("POOL", "ACTION", "N", "ONLINE", "BUSY", "QUEUED", "REASON");
            for (JsonNode p : r.path("pools")) {
                t.row(
                        p.path("pool").asString(),
                        p.path("action").asString(),
                        p.path("count").asInt(),
                        p.path("online").asInt(),
                        p.path("busy").asInt(),
                        p.path("queueDepth").asInt(),
                        p.path("reason").asString());
            }
            System.out.print(t.render());
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "down",
            description = "Tell up to COUNT idle agents of POOL to checkpoint and exit (admin).")
    static final class ScaleDown extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "The pool.")
        String pool;

        @Parameters(index = "1", defaultValue = "1", description = "How many agents; default 1.")
        int count;

        @Override
        public Integer call() {
            JsonNode r = client().ops().scaleDown(pool, count);
            System.out.println("told to checkpoint and exit: " + r.path("agents"));
            return 0;
        }
    }

    private static String num(JsonNode n) {
        return String.format(Locale.ROOT, "%.2f", n.asDouble());
    }
}
