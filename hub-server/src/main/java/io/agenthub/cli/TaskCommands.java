package io.agenthub.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code hub task add|list|show|cancel}: the work queue from the command line. */
final class TaskCommands {
    private TaskCommands() {}

    @Command(
            name = "task",
            mixinStandardHelpOptions = true,
            description = "The work queue: add, list, show and cancel tasks.",
            subcommands = {Add.class, ListTasks.class, Show.class, Cancel.class})
    static final class Task implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("Name a subcommand: add, list, show or cancel (hub task --help).");
            return 2;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Queue a task; prints its id.")
    static final class Add extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Title.")
        String title;

        @Option(names = "--body", description = "What to do.")
        String body;

        @Option(names = "--pool", description = "Pool whose agents do it (default: default).")
        String pool;

        @Option(names = "--priority", description = "-100 to 100, higher first (default 0).")
        Integer priority;

        @Option(names = "--label", description = "A label; repeat for more.")
        List<String> labels;

        @Option(names = "--capability", description = "A capability the agent needs; repeat for more.")
        List<String> capabilities;

        @Option(names = "--for-version", description = "Only agents that report this version claim it.")
        String version;

        @Option(names = "--resource", description = "Leased to the claimer with the claim; repeat for more.")
        List<String> resources;

        @Option(names = "--depends-on", description = "A task that must be done first; repeat for more.")
        List<String> dependsOn;

        @Option(names = "--deadline", description = "ISO instant; the task dies if nobody claimed it by then.")
        String deadline;

        @Option(names = "--max-attempts", description = "Attempts before the task is dead.")
        Integer maxAttempts;

        @Override
        public Integer call() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("title", title);
            put(b, "body", body);
            put(b, "pool", pool);
            put(b, "priority", priority);
            put(b, "labels", labels);
            put(b, "capabilities", capabilities);
            put(b, "version", version);
            put(b, "resources", resources);
            put(b, "dependsOn", dependsOn);
            put(b, "deadline", deadline);
            put(b, "maxAttempts", maxAttempts);
            JsonNode t = client().post("/api/tasks", b);
            System.out.println(t.path("id").asString() + " queued in pool "
                    + t.path("pool").asString()
                    + (t.path("waitingOn").asInt() > 0
                            ? ", waiting on " + t.path("waitingOn").asInt() + " task(s)"
                            : ""));
            return 0;
        }

        private static void put(Map<String, Object> b, String key, Object value) {
            if (value != null) {
                b.put(key, value);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks, oldest first, as a table.")
    static final class ListTasks extends Cli.Remote implements Callable<Integer> {
        @Option(names = "--state", description = "queued, claimed, done, failed, cancelled or dead.")
        String state;

        @Option(names = "--pool", description = "Only this pool.")
        String pool;

        @Option(names = "--label", description = "Only tasks with this label.")
        String label;

        @Option(names = "--after", description = "Cursor printed by the previous page.")
        String after;

        @Option(names = "--limit", description = "At most this many (default 50, at most 200).")
        String limit;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("state", state);
            q.put("pool", pool);
            q.put("label", label);
            q.put("after", after);
            q.put("limit", limit);
            JsonNode page = client().get("/api/tasks" + query(q));
            Table t = new Table("ID", "STATE", "POOL", "PRIO", "ATTEMPTS", "HOLDER", "TITLE");
            for (JsonNode task : page.path("tasks")) {
                t.row(
                        task.path("id").asString(),
                        task.path("state").asString(),
                        task.path("pool").asString(),
                        task.path("priority").asInt(),
                        task.path("attempts").asInt() + "/"
                                + task.path("maxAttempts").asInt(),
                        task.path("state").asString().equals("claimed")
                                ? task.path("claim").path("holder").asString()
                                : "",
                        task.path("title").asString());
            }
            System.out.print(t.render());
            if (page.path("next").asLong() != 0) {
                System.out.println("more: --after " + page.path("next").asLong());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one task with its history.")
    static final class Show extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Task id, e.g. t-42.")
        String id;

        @Override
        public Integer call() {
            JsonNode d = client().get("/api/tasks/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
            JsonNode t = d.path("task");
            System.out.println(t.path("id").asString() + " " + t.path("title").asString());
            System.out.println("state " + t.path("state").asString() + ", pool "
                    + t.path("pool").asString()
                    + ", priority " + t.path("priority").asInt() + ", attempts "
                    + t.path("attempts").asInt() + "/"
                    + t.path("maxAttempts").asInt() + ", created by "
                    + t.path("createdBy").asString() + " at "
                    + t.path("createdAt").asString());
            if (!t.path("body").asString().isEmpty()) {
                System.out.println(t.path("body").asString());
            }
            if (!t.path("result").asString().isEmpty()) {
                System.out.println("result: " + t.path("result").asString());
            }
            if (!t.path("reason").asString().isEmpty()) {
                System.out.println("reason: " + t.path("reason").asString());
            }
            Table h = new Table("AT", "EVENT", "BY", "TOKEN", "DETAIL");
            for (JsonNode e : d.path("history")) {
                h.row(
                        e.path("at").asString(),
                        e.path("kind").asString(),
                        e.path("agent").asString(),
                        e.path("token").asLong() == 0 ? "" : e.path("token").asLong(),
                        e.path("detail").asString());
            }
            System.out.print(h.render());
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task (its creator or an admin).")
    static final class Cancel extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Task id, e.g. t-42.")
        String id;

        @Option(names = "--reason", description = "Why (recorded).")
        String reason;

        @Override
        public Integer call() {
            Map<String, Object> b = new LinkedHashMap<>();
            if (reason != null) {
                b.put("reason", reason);
            }
            JsonNode t = client().post("/api/tasks/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/cancel", b);
            System.out.println(t.path("id").asString() + " " + t.path("state").asString());
            return 0;
        }
    }

    private static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                q.append(q.isEmpty() ? '?' : '&')
                        .append(k)
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }
}
