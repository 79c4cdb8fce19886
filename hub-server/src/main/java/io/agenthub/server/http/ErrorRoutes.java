package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.errorlog.IssueStatus;
import io.agenthub.tier.Work;
import io.agenthub.usage.BudgetService;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/errors}: the errors tool. */
public final class ErrorRoutes {
    private final ErrorLogService errors;

    record StatusBody(String status) {}

    private final BudgetService budgets;

    /** @param budgets for the slow-down directive on error reports (LLM throttling back-off), or null */
    public ErrorRoutes(ErrorLogService errors, BudgetService budgets) {
        this.errors = errors;
        this.budgets = budgets;
    }

    public void register(Router r) {
        r.post("/api/errors", Access.WRITE, Work.UPKEEP, call -> {
            ErrorLogStore.Recorded recorded =
                    errors.report(call.principal(), call.body(ErrorLogService.NewError.class));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("issue", recorded.issue());
            out.put("created", recorded.created());
            out.put("reopened", recorded.reopened());
            return Directives.with(Reply.created(out), Directives.forWork(budgets));
        });
        r.get("/api/errors", Access.READ, call -> {
            String action = call.query("action");
            Integer limit = call.queryInt("limit", 1, 100);
            return switch (action == null ? "overview" : action) {
                case "overview" -> Reply.ok(errors.overview());
                case "issues" ->
                    Reply.ok(Map.of(
                            "issues",
                            errors.issues(
                                    IssueStatus.parse("status", call.query("status")),
                                    ErrorLevel.parse("level", call.query("level"), null),
                                    limit)));
                case "issue" -> {
                    String id = required(call, "issueId");
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("issue", errors.issue(id));
                    out.put("events", errors.events(id, 10));
                    yield Reply.ok(out);
                }
                case "events" -> Reply.ok(Map.of("events", errors.events(required(call, "issueId"), limit)));
                default ->
                    throw new HubException.InvalidRequest(
                            "action must be overview (the default), issues, issue or events.");
            };
        });
        r.patch("/api/errors/{id}", Access.WRITE, call -> {
            StatusBody b = call.body(StatusBody.class);
            return Reply.ok(
                    errors.setStatus(call.principal(), call.path("id"), IssueStatus.parse("status", b.status())));
        });
    }

    private static String required(Call call, String name) {
        String v = call.query(name);
        if (v == null) {
            throw new HubException.InvalidRequest(name + " is required for this action.", Map.of("field", name));
        }
        return v;
    }
}
