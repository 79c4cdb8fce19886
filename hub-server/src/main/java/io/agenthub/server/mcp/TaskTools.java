package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.NUMBER;
import static io.agenthub.server.mcp.Params.Type.STRING;
import static io.agenthub.server.mcp.Params.Type.STRING_ARRAY;

import io.agenthub.pool.PoolService;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskService;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Work-queue tools: the same {@link TaskService} as {@code /api/tasks}. */
final class TaskTools {
    private static final String ID = "Task id, e.g. t-42";
    private static final String TOKEN = "Claim token from task_next";

    private final TaskService tasks;
    private final PoolService pools;

    TaskTools(TaskService tasks, PoolService pools) {
        this.tasks = tasks;
        this.pools = pools;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                        "task_create",
                        "Queue a task",
                        "Queue a task for an agent pool.",
                        Params.of()
                                .required("title", STRING, "Short title")
                                .optional("body", STRING, "What to do")
                                .optional("pool", STRING, "Pool that does it; default 'default'")
                                .optional("priority", INTEGER, "-100..100, higher first; default 0")
                                .optional("labels", STRING_ARRAY, "Labels")
                                .optional("capabilities", STRING_ARRAY, "Capabilities the agent needs")
                                .optional("version", STRING, "Only agents of this version")
                                .optional("resources", STRING_ARRAY, "Leased to the claimer with the claim")
                                .optional("dependsOn", STRING_ARRAY, "Task ids that must be done first")
                                .optional("deadline", STRING, "ISO instant; dies if unclaimed by then")
                                .optional("maxAttempts", INTEGER, "Attempts before dead"),
                        Shapes.object(Shapes.TASK),
                        (caller, a) -> {
                            Task t = tasks.create(
                                    caller,
                                    new NewTask(
                                            a.string("title"),
                                            a.string("body"),
                                            a.integer("priority") == null ? 0 : a.smallInteger("priority"),
                                            a.strings("labels"),
                                            a.string("pool"),
                                            a.strings("capabilities"),
                                            a.string("version"),
                                            a.strings("resources"),
                                            a.strings("dependsOn"),
                                            instant(a.string("deadline")),
                                            a.integer("maxAttempts") == null ? 0 : a.smallInteger("maxAttempts")));
                            return Results.ok("Queued " + line(t) + ".", t);
                        }),
                HubTool.write(
                        "task_next",
                        "Claim your next task",
                        "Claim your next task (waits up to wait seconds). Renew before expiresAt; finish with"
                                + " task_complete or task_fail.",
                        Params.of()
                                .optional("wait", NUMBER, "Seconds to wait for one; default 0")
                                .optional("ttlSeconds", INTEGER, "Claim lifetime in seconds"),
                        Shapes.object("claimed:boolean", "~token:integer", "~expiresAt:string", "~task:object"),
                        (caller, a) -> {
                            Double wait = a.number("wait");
                            Optional<Instant> exit = pools.retiring(caller.id());
                            if (exit.isPresent()) {
                                return Results.ok(
                                        "Your pool is being scaled down: save a checkpoint (checkpoint_save) and exit."
                                                + " No task is given to you until " + exit.get() + ".",
                                        Map.of("claimed", false, "directive", "checkpoint_exit"));
                            }
                            Optional<Task> t = tasks.claim(
                                    caller,
                                    a.integer("ttlSeconds"),
                                    wait == null ? null : Duration.ofMillis((long) (wait * 1000)));
                            if (t.isEmpty()) {
                                return Results.ok("No task for you now.", Map.of("claimed", false));
                            }
                            Task c = t.get();
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("claimed", true);
                            out.put("token", c.claim().token());
                            out.put("expiresAt", c.claim().expiresAt().toString());
                            out.put("task", c);
                            return Results.ok(
                                    "Claimed " + line(c) + " with token "
                                            + c.claim().token() + " until "
                                            + c.claim().expiresAt() + ".\n" + c.body(),
                                    out);
                        }),
                HubTool.write(
                        "task_renew",
                        "Renew a task claim",
                        "Extend your claim on a task.",
                        Params.of()
                                .required("id", STRING, ID)
                                .required("token", INTEGER, TOKEN)
                                .optional("ttlSeconds", INTEGER, "New lifetime from now"),
                        Shapes.object(Shapes.TASK),
                        (caller, a) -> {
                            Task t = tasks.renew(caller, a.string("id"), a.integer("token"), a.integer("ttlSeconds"));
                            return Results.ok(
                                    "Renewed " + t.id() + " until " + t.claim().expiresAt() + ".", t);
                        }),
                HubTool.write(
                        "task_complete",
                        "Complete a task",
                        "Finish your claimed task with a result.",
                        Params.of()
                                .required("id", STRING, ID)
                                .required("token", INTEGER, TOKEN)
                                .optional("result", STRING, "What you did"),
                        Shapes.object(Shapes.TASK),
                        (caller, a) -> {
                            Task t = tasks.complete(caller, a.string("id"), a.integer("token"), a.string("result"));
                            return Results.ok("Completed " + line(t) + ".", t);
                        }),
                HubTool.write(
                        "task_fail",
                        "Fail a task",
                        "Give up your claimed task; it is retried later or dies after its last attempt.",
                        Params.of()
                                .required("id", STRING, ID)
                                .required("token", INTEGER, TOKEN)
                                .required("reason", STRING, "Why it failed"),
                        Shapes.object(Shapes.TASK),
                        (caller, a) -> {
                            Task t = tasks.fail(caller, a.string("id"), a.integer("token"), a.string("reason"));
                            return Results.ok(
                                    "Task " + t.id() + " is now " + t.state().label() + ".", t);
                        }),
                HubTool.read(
                        "task_get",
                        "Read a task",
                        "A task with its history.",
                        Params.of().required("id", STRING, ID),
                        Shapes.object("task:object", "history:array"),
                        (caller, a) -> {
                            TaskService.Detail d = tasks.get(a.string("id"));
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("task", d.task());
                            out.put("history", d.history());
                            return Results.ok(
                                    line(d.task()) + ", " + d.history().size() + " event(s).", out);
                        }),
                HubTool.read(
                        "task_list",
                        "List tasks",
                        "List tasks, oldest first.",
                        Params.of()
                                .optional("state", STRING, "queued, claimed, done, failed, cancelled or dead")
                                .optional("pool", STRING, "Pool")
                                .optional("label", STRING, "Label")
                                .optional("after", INTEGER, "Cursor from the last page")
                                .optional("limit", INTEGER, "At most this many; default 50"),
                        Shapes.object("tasks:array", "next:integer"),
                        (caller, a) -> {
                            Long after = a.integer("after");
                            Integer limit = a.smallInteger("limit");
                            TaskService.Listing page = tasks.list(
                                    a.string("state"),
                                    a.string("pool"),
                                    a.string("label"),
                                    after == null ? 0 : after,
                                    limit);
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("tasks", page.tasks());
                            out.put("next", page.next());
                            return Results.ok(
                                    Lines.list(page.tasks().size() + " task(s).", page.tasks(), TaskTools::line), out);
                        }));
    }

    private static String line(Task t) {
        return t.id() + " `" + t.title() + "` (" + t.state().label() + ", pool " + t.pool() + ", priority "
                + t.priority() + ")";
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new io.agenthub.error.HubException.InvalidRequest(
                    "deadline must be an ISO instant such as 2026-12-01T12:00:00Z; got '" + value + "'.",
                    Map.of("field", "deadline"));
        }
    }
}
