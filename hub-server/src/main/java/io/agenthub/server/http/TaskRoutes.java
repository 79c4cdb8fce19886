package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskPolicy;
import io.agenthub.task.TaskService;
import io.agenthub.tier.Work;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/tasks}: the work queue. Creating is a write; claiming declares {@link Work#UPKEEP} because {@link
 * TaskService#claim} applies the tier rules itself (in tier 3 other agents' claims wait instead of being refused);
 * renewing, completing, failing and cancelling are upkeep, allowed in every tier.
 */
public final class TaskRoutes {
    private final TaskService tasks;
    private final Function<String, Optional<Instant>> exitBy;

    record CreateBody(
            String title,
            String body,
            Integer priority,
            List<String> labels,
            String pool,
            List<String> capabilities,
            String version,
            List<String> resources,
            List<String> dependsOn,
            Instant deadline,
            Integer maxAttempts) {
        NewTask spec() {
            return new NewTask(
                    title,
                    body,
                    priority == null ? 0 : priority,
                    labels,
                    pool,
                    capabilities,
                    version,
                    resources,
                    dependsOn,
                    deadline,
                    maxAttempts == null ? 0 : maxAttempts);
        }
    }

    record ClaimBody(Long ttlSeconds) {}

    record TokenBody(Long token, Long ttlSeconds, String result, String reason) {}

    record CancelBody(String reason) {}

    /**
     * @param exitBy until when an agent is told to checkpoint and exit (scale-down), if it is: its claims then get
     *     nothing (204) with the directive in the headers
     */
    public TaskRoutes(TaskService tasks, Function<String, Optional<Instant>> exitBy) {
        this.tasks = tasks;
        this.exitBy = exitBy;
    }

    public void register(Router r) {
        r.post("/api/tasks", Access.WRITE, call -> {
            CreateBody b = call.body(CreateBody.class);
            return Reply.created(tasks.create(call.principal(), b.spec()));
        });
        r.post("/api/tasks/claim", Access.WRITE, Work.UPKEEP, call -> {
            ClaimBody b = call.bodyOr(ClaimBody.class, new ClaimBody(null));
            Map<String, String> exit =
                    Directives.forExit(exitBy.apply(call.principal().id()));
            if (!exit.isEmpty()) {
                return new Reply(204, "", "application/json", exit);
            }
            Optional<Task> claimed = tasks.claim(call.principal(), b.ttlSeconds(), MessageRoutes.wait(call));
            return claimed.map(t -> Reply.ok(claim(t)))
                    .orElseGet(() -> new Reply(204, "", "application/json", Map.of()));
        });
        r.post("/api/tasks/{id}/renew", Access.WRITE, Work.UPKEEP, call -> {
            TokenBody b = call.body(TokenBody.class);
            return Reply.ok(claim(tasks.renew(call.principal(), call.path("id"), token(b), b.ttlSeconds())));
        });
        r.post("/api/tasks/{id}/complete", Access.WRITE, Work.UPKEEP, call -> {
            TokenBody b = call.body(TokenBody.class);
            return Reply.ok(tasks.complete(call.principal(), call.path("id"), token(b), b.result()));
        });
        r.post("/api/tasks/{id}/fail", Access.WRITE, Work.UPKEEP, call -> {
            TokenBody b = call.body(TokenBody.class);
            return Reply.ok(tasks.fail(call.principal(), call.path("id"), token(b), b.reason()));
        });
        r.post("/api/tasks/{id}/cancel", Access.WRITE, Work.UPKEEP, call -> {
            CancelBody b = call.bodyOr(CancelBody.class, new CancelBody(null));
            return Reply.ok(tasks.cancel(call.principal(), call.path("id"), b.reason()));
        });
        r.get("/api/tasks", Access.READ, call -> {
            TaskService.Listing page = tasks.list(
                    call.query("state"),
                    call.query("pool"),
                    call.query("label"),
                    call.queryLong("after", 0),
                    // Never narrowed: limit=4294967297 is a 400, not 1.
                    call.queryInt("limit", 1, TaskPolicy.MAX_LIST));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tasks", page.tasks());
            out.put("next", page.next());
            return Reply.ok(out);
        });
        r.get("/api/tasks/{id}", Access.READ, call -> {
            TaskService.Detail d = tasks.get(call.path("id"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", d.task());
            out.put("history", d.history());
            return Reply.ok(out);
        });
    }

    /** A claimed task with its claim's token and expiry on top, as clients need them for the next calls. */
    static Map<String, Object> claim(Task t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("token", t.claim().token());
        out.put("expiresAt", t.claim().expiresAt());
        out.put("task", t);
        return out;
    }

    private static long token(TokenBody b) {
        if (b.token() == null) {
            throw new HubException.InvalidRequest("token is required: the claim token you got from the claim.");
        }
        return b.token();
    }
}
