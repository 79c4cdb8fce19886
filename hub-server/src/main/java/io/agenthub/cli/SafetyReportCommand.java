package io.agenthub.cli;

import io.agenthub.client.Admin;
import io.agenthub.server.wire.JsonCodec;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code hub safety-report [--since 24h] [--json]}: the regular security event review, through the Java client. */
@Command(
        mixinStandardHelpOptions = true,
        name = "safety-report",
        description = "Security events by kind, top offenders, tokens issued, ended, expiring and unused, agents with"
                + " privileged labels, admin actions, and what to look at first (admin token).")
final class SafetyReportCommand extends Cli.Remote implements Callable<Integer> {
    @Option(
            names = "--since",
            defaultValue = "24h",
            description = "The period that ends now: 30m, 24h, 7d (default 24h).")
    String since;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Admin.SafetyReport r = client().admin().safetyReport(since);
        if (json) {
            System.out.println(JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        System.out.print(render(r, since));
        return 0;
    }

    /** The report as text for a person: what to look at first, then the details. */
    static String render(Admin.SafetyReport r, String since) {
        StringBuilder out = new StringBuilder();
        out.append("Safety report for the last ")
                .append(since)
                .append(" (")
                .append(r.since())
                .append(" to ")
                .append(r.until())
                .append(")\n\nLook at first:\n");
        int n = 1;
        for (String item : r.lookFirst()) {
            out.append("  ").append(n++).append(". ").append(item).append('\n');
        }
        long total = r.events().values().stream().mapToLong(Long::longValue).sum();
        out.append("\nSecurity events: ").append(total).append('\n');
        Table kinds = new Table("KIND", "COUNT");
        r.events().forEach(kinds::row);
        out.append(kinds.render());
        out.append("\nTop offenders:");
        if (r.topOffenders().isEmpty()) {
            out.append(" none\n");
        } else {
            out.append('\n');
            Table t = new Table("SUBJECT", "EVENTS", "KINDS", "MOSTLY");
            for (Admin.Offender o : r.topOffenders()) {
                t.row(o.subject(), o.events(), counts(o.kinds()), String.join(", ", o.details()));
            }
            out.append(t.render());
        }
        Admin.Tokens tk = r.tokens();
        out.append("\nTokens: ")
                .append(tk.issued())
                .append(" issued and ")
                .append(tk.ended())
                .append(" ended (revoked, replaced or expired) in the period; ")
                .append(tk.active())
                .append(" active now\n");
        if (!tk.expiring().isEmpty()) {
            out.append("Ending within 7 days:\n");
            Table t = new Table("ID", "SUBJECT", "ROLE", "ENDS");
            tk.expiring().forEach(x -> t.row(x.id(), x.subject(), x.role(), x.expiresAt()));
            out.append(t.render());
        }
        if (!tk.unused().isEmpty()) {
            out.append("Unused (agent idle for over ").append(tk.idleAfter()).append("):\n");
            Table t = new Table("ID", "SUBJECT", "ISSUED", "LAST SEEN");
            tk.unused()
                    .forEach(x ->
                            t.row(x.id(), x.subject(), x.createdAt(), x.lastSeen() == null ? "never" : x.lastSeen()));
            out.append(t.render());
        }
        out.append("\nAgents with privileged labels:");
        if (r.privilegedLabels().isEmpty()) {
            out.append(" none\n");
        } else {
            out.append('\n');
            Table t = new Table("AGENT", "LABELS");
            r.privilegedLabels()
                    .forEach(p -> t.row(
                            p.agent(),
                            p.labels().entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(" "))));
            out.append(t.render());
        }
        Admin.AdminActions a = r.adminActions();
        out.append("\nAdmin actions: ")
                .append(a.total())
                .append(a.complete() ? "" : " (at least; the audit log was read only in part)")
                .append(a.byAction().isEmpty() ? "" : " (" + counts(a.byAction()) + ")")
                .append('\n');
        if (!a.recent().isEmpty()) {
            Table t = new Table("AT", "ACTION", "SUBJECT");
            for (JsonNode e : a.recent()) {
                t.row(
                        e.path("at").asString(),
                        e.path("action").asString(),
                        e.path("subject").asString());
            }
            out.append(t.render());
        }
        return out.toString();
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
