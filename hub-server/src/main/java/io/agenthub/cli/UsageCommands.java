package io.agenthub.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code hub usage} and {@code hub budget}: tokens and cost as tables, budget status and acknowledgement. */
final class UsageCommands {
    private UsageCommands() {}

    @Command(
            mixinStandardHelpOptions = true,
            name = "usage",
            description = "Print tokens and cost by agent, pool, model or day as a table.")
    static final class Usage extends Cli.Remote implements Callable<Integer> {
        @Option(names = "--from", description = "First day, yyyy-MM-dd (default: today in the hub's usage time zone).")
        String from;

        @Option(names = "--to", description = "Last day, yyyy-MM-dd (default: --from).")
        String to;

        @Option(names = "--by", description = "agent (default), pool, model or day.", defaultValue = "agent")
        String by;

        @Option(names = "--agent", description = "Only this agent.")
        String agent;

        @Option(names = "--pool", description = "Only this pool.")
        String pool;

        @Override
        public Integer call() {
            String key = switch (by.toLowerCase(Locale.ROOT)) {
                case "agent" -> "byAgent";
                case "pool" -> "byPool";
                case "model" -> "byModel";
                case "day" -> "byDay";
                default -> throw new IllegalStateException("--by must be agent, pool, model or day; got " + by + ".");
            };
            JsonNode u = client().usage().summary(blank(from), blank(to), blank(agent), blank(pool));
            Table t = new Table(
                    by.toUpperCase(Locale.ROOT), "CALLS", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "COST (USD)");
            for (JsonNode line : u.path(key)) {
                row(
                        t,
                        line.path("key").asString().isEmpty()
                                ? "(none)"
                                : line.path("key").asString(),
                        line);
            }
            row(t, "TOTAL", u.path("total"));
            System.out.println("Usage " + u.path("from").asString() + " to "
                    + u.path("to").asString() + " (" + u.path("timeZone").asString() + ")");
            System.out.print(t.render());
            return 0;
        }

        private static void row(Table t, String name, JsonNode line) {
            t.row(
                    name,
                    line.path("calls").asLong(),
                    line.path("inputTokens").asLong(),
                    line.path("outputTokens").asLong(),
                    line.path("cacheReadTokens").asLong(),
                    line.path("cacheWriteTokens").asLong(),
                    usd(line.path("costUsd").decimalValue()));
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "budget",
            description = "Show today's spend, budget level, halts and alerts.",
            subcommands = {BudgetAck.class})
    static final class Budget extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode b = client().usage().budget();
            System.out.println("day      " + b.path("day").asString() + " ("
                    + b.path("timeZone").asString() + ")");
            System.out.println("spent    $" + usd(b.path("fleetSpendUsd").decimalValue()) + " (level "
                    + b.path("level").asString() + ")");
            JsonNode th = b.path("thresholdsUsd");
            System.out.println("limits   info $" + usd(th.path("info").decimalValue()) + ", warn $"
                    + usd(th.path("warn").decimalValue()) + ", throttle $"
                    + usd(th.path("throttle").decimalValue()) + ", halt $"
                    + usd(th.path("halt").decimalValue()));
            for (JsonNode h : b.path("halts")) {
                System.out.println("HALT     " + h.path("scope").asString() + " since "
                        + h.path("since").asString()
                        + " ($" + usd(h.path("spendUsd").decimalValue()) + " on "
                        + h.path("day").asString()
                        + "); acknowledge with: hub budget ack --note \"...\"");
            }
            for (JsonNode a : b.path("alerts")) {
                System.out.println("alert    " + a.path("at").asString() + " "
                        + a.path("scope").asString() + " " + a.path("level").asString() + " at $"
                        + usd(a.path("spendUsd").decimalValue()));
            }
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "ack",
            description = "Acknowledge a budget halt (the fleet's, or one agent's), which lifts it.")
    static final class BudgetAck extends Cli.Remote implements Callable<Integer> {
        @Option(names = "--note", required = true, description = "What was reviewed and why work may go on.")
        String note;

        @Option(names = "--agent", description = "The agent whose own halt to acknowledge (default: the fleet's).")
        String agent;

        @Override
        public Integer call() {
            JsonNode ack = client().usage().acknowledge(agent, note).path("acknowledged");
            System.out.println(
                    "Acknowledged the halt of " + ack.path("halt").path("scope").asString() + " (since "
                            + ack.path("halt").path("since").asString() + "); new work is accepted again.");
            return 0;
        }
    }

    private static String usd(BigDecimal v) {
        return v == null ? "0.00" : v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v;
    }
}
