package io.agenthub.cli;

import io.agenthub.client.Rollouts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code hub flags list|set|delete}: feature flags, for admins. */
final class FlagCommands {
    private FlagCommands() {}

    @Command(
            name = "flags",
            description = "Feature flags: list, set and delete (agents read theirs with GET /api/flags).",
            subcommands = {ListFlags.class, Set.class, Delete.class})
    static final class Flags implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("Name a subcommand: list, set or delete (hub flags --help).");
            return 2;
        }
    }

    @Command(name = "list", description = "Every flag with its type, default and rules.")
    static final class ListFlags extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            Table t = new Table("KEY", "TYPE", "DEFAULT", "ENABLED", "RULES", "DESCRIPTION");
            for (JsonNode f : client().rollouts().flagDefinitions().path("flags")) {
                t.row(
                        f.path("key").asString(),
                        f.path("type").asString().toLowerCase(),
                        f.path("defaultValue").toString(),
                        f.path("enabled").asBoolean(),
                        f.path("rules").size() + " rule(s)",
                        f.path("description").asString());
            }
            System.out.print(t.render());
            return 0;
        }
    }

    @Command(name = "set", description = "Create or replace a flag.")
    static final class Set extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Key, e.g. new-parser.")
        String key;

        @Option(names = "--type", required = true, description = "boolean, string or number.")
        String type;

        @Option(names = "--default", required = true, description = "The value when no rule matches.")
        String defaultValue;

        @Option(
                names = "--rule",
                description = "agents=a,b;pools=p;versions=v;percent=N;value=X (conditions optional); repeat, first"
                        + " match wins.")
        List<String> rules;

        @Option(names = "--description", description = "What the flag does.")
        String description;

        @Option(names = "--disabled", description = "Everyone gets the default.")
        boolean disabled;

        @Override
        public Integer call() {
            Map<String, Object> b = new LinkedHashMap<>();
            try {
                b.put("type", type);
                b.put("defaultValue", value(type, defaultValue));
                List<Map<String, Object>> out = new ArrayList<>();
                for (String r : rules == null ? List.<String>of() : rules) {
                    out.add(rule(type, r));
                }
                b.put("rules", out);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            b.put("enabled", !disabled);
            if (description != null) {
                b.put("description", description);
            }
            JsonNode f = client().rollouts()
                    .setFlag(key, io.agenthub.server.wire.JsonCodec.MAPPER.convertValue(b, Rollouts.Flag.class));
            System.out.println("flag " + f.path("key").asString() + " ("
                    + f.path("type").asString().toLowerCase() + ", default " + f.path("defaultValue") + ", "
                    + f.path("rules").size() + " rule(s)) set");
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a flag.")
    static final class Delete extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Key.")
        String key;

        @Override
        public Integer call() {
            client().rollouts().deleteFlag(key);
            System.out.println("flag " + key + " deleted");
            return 0;
        }
    }

    static Map<String, Object> rule(String type, String spec) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("A rule is name=value pairs separated by ';'; got '" + spec + "'.");
            }
            String name = kv[0].strip();
            String v = kv[1].strip();
            switch (name) {
                case "agents", "pools", "versions" -> r.put(name, List.of(v.split(",")));
                case "percent" -> r.put(name, Integer.parseInt(v));
                case "value" -> r.put(name, value(type, v));
                default ->
                    throw new IllegalArgumentException(
                            "A rule knows agents, pools, versions, percent and value; got '" + name + "'.");
            }
        }
        return r;
    }

    static Object value(String type, String v) {
        return switch (type.toLowerCase()) {
            case "boolean" -> {
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException("A boolean flag's value is true or false; got '" + v + "'.");
                }
                yield Boolean.parseBoolean(v);
            }
            case "number" -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("A number flag's value is a number; got '" + v + "'.");
                }
            }
            default -> v;
        };
    }
}
