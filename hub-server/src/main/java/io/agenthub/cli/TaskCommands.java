package io.agenthub.cli;

import io.agenthub.client.Tasks;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            Instant due;
            try {
                due = deadline == null ? null : Instant.parse(deadline);
            } catch (DateTimeParseException e) {
                throw new CliFailure(
                        "--deadline must be an ISO instant such as 2026-01-31T18:00:00Z; got " + deadline + ".");
            }
            Tasks.Task t = client().tasks()
                    .create(new Tasks.Request(
                            title,
                            body,
                            priority,
                            labels,
                            pool,
                            capabilities,
                            version,
                            resources,
                            dependsOn,
                            due,
                            maxAttempts));
            System.out.println(t.id() + " queued in pool " + t.pool()
                    + (t.waitingOn() > 0 ? ", waiting on " + t.waitingOn() + " task(s)" : ""));
            return 0;
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
            Tasks.Page page = client().tasks()
                    .list(
                            blank(state),
                            blank(pool),
                            blank(label),
                            after == null ? 0 : number("--after", after),
                            limit(limit));
            Table t = new Table("ID", "STATE", "POOL", "PRIO", "ATTEMPTS", "HOLDER", "TITLE");
            for (Tasks.Task task : page.tasks()) {
                t.row(
                        task.id(),
                        task.state(),
                        task.pool(),
                        task.priority(),
                        task.attempts() + "/" + task.maxAttempts(),
                        "claimed".equals(task.state()) && task.claim() != null
                                ? task.claim().holder()
                                : "",
                        task.title());
            }
            System.out.print(t.render());
            if (page.next() != 0) {
                System.out.println("more: --after " + page.next());
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
            Tasks.Detail d = client().tasks().get(id);
            Tasks.Task t = d.task();
            System.out.println(t.id() + " " + t.title());
            System.out.println("state " + t.state() + ", pool " + t.pool() + ", priority " + t.priority()
                    + ", attempts " + t.attempts() + "/" + t.maxAttempts() + ", created by " + t.createdBy() + " at "
                    + Cli.text(t.createdAt()));
            if (!Cli.text(t.body()).isEmpty()) {
                System.out.println(t.body());
            }
            if (!Cli.text(t.result()).isEmpty()) {
                System.out.println("result: " + t.result());
            }
            if (!Cli.text(t.reason()).isEmpty()) {
                System.out.println("reason: " + t.reason());
            }
            Table h = new Table("AT", "EVENT", "BY", "TOKEN", "DETAIL");
            for (Tasks.Event e : d.history()) {
                h.row(
                        Cli.text(e.at()),
                        Cli.text(e.kind()),
                        Cli.text(e.agent()),
                        e.token() == 0 ? "" : e.token(),
                        Cli.text(e.detail()));
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
            Tasks.Task t = client().tasks().cancel(id, reason);
            System.out.println(t.id() + " " + t.state());
            return 0;
        }
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static long number(String option, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new CliFailure(option + " must be a number; got " + v + ".");
        }
    }

    private static Integer limit(String v) {
        return v == null || v.isBlank() ? null : (int) number("--limit", v);
    }
}
