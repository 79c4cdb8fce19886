package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.STRING;
import static io.agenthub.server.mcp.Params.Type.STRING_ARRAY;

import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffRequest;
import io.agenthub.handoff.HandoffService;
import io.agenthub.handoff.Target;
import io.agenthub.usage.ModelCall;
import io.agenthub.usage.UsageReceipt;
import io.agenthub.usage.UsageService;
import java.util.List;
import java.util.Locale;

/**
 * Usage and handoff tools: the same {@link UsageService} and {@link HandoffService} as {@code /api/usage} and
 * {@code /api/handoffs}.
 */
final class LifecycleTools {
    private static final String ID = "Handoff id, e.g. ho-12";

    private final UsageService usage;
    private final HandoffService handoffs;

    LifecycleTools(UsageService usage, HandoffService handoffs) {
        this.usage = usage;
        this.handoffs = handoffs;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                        "usage_report",
                        "Report model usage",
                        "Report one model call's tokens and your context size. Follow the returned directive: ok,"
                                + " warn (checkpoint soon), slow_down (wait delaySeconds), transfer (checkpoint now and"
                                + " stop; a handoff carries on), halt (stop new work).",
                        Params.of()
                                .required("model", STRING, "Model id, e.g. claude-sonnet-4-5")
                                .required("inputTokens", INTEGER, "Input tokens of the call")
                                .required("outputTokens", INTEGER, "Output tokens of the call")
                                .optional("cacheReadTokens", INTEGER, "Prompt-cache read tokens")
                                .optional("cacheWriteTokens", INTEGER, "Prompt-cache write tokens")
                                .optional("contextTokens", INTEGER, "Your context window in use now")
                                .optional(
                                        "status",
                                        INTEGER,
                                        "The provider's HTTP status for the call, e.g. 429 (rate limited) or 529"
                                                + " (overloaded): these count towards the fleet's LLM throttling"
                                                + " back-off"),
                        Shapes.object(
                                "directive:string",
                                "reason:string",
                                "delaySeconds:integer",
                                "costUsd:number",
                                "agentTodayUsd:number",
                                "handoffId:string?"),
                        (caller, a) -> {
                            UsageReceipt r = usage.report(
                                    caller,
                                    new ModelCall(
                                            a.string("model"),
                                            a.integer("inputTokens"),
                                            a.integer("outputTokens"),
                                            orZero(a.integer("cacheReadTokens")),
                                            orZero(a.integer("cacheWriteTokens")),
                                            a.integer("contextTokens")),
                                    status(a.integer("status")));
                            return Results.ok(
                                    "Directive: " + r.directive().name().toLowerCase() + ". " + r.reason(), r);
                        }),
                HubTool.write(
                        "handoff_create",
                        "Hand work over",
                        "Hand work over to an agent, a pool or anyone with a capability. Listed leases move to"
                                + " whoever accepts, with new fencing tokens.",
                        Params.of()
                                .required("to", STRING, "Who may accept: " + Target.FORMS)
                                .required("title", STRING, "What the work is")
                                .optional("context", STRING, "What the successor needs to know")
                                .optional("nextSteps", STRING_ARRAY, "Next steps, in order")
                                .optional("files", STRING_ARRAY, "Files involved")
                                .optional("leases", STRING_ARRAY, "Resources of your leases to pass on")
                                .choice(
                                        "leaseMode",
                                        "listed (default) or all of your leases",
                                        false,
                                        List.of("listed", "all")),
                        Shapes.object(Shapes.HANDOFF),
                        (caller, a) -> {
                            Handoff h = handoffs.create(
                                    caller,
                                    new HandoffRequest(
                                            a.string("to"),
                                            a.string("title"),
                                            a.string("context"),
                                            a.strings("nextSteps"),
                                            a.strings("files"),
                                            a.strings("leases"),
                                            "all".equals(a.string("leaseMode")),
                                            true));
                            return Results.ok("Created handoff " + h.id() + ".", h);
                        }),
                HubTool.write(
                                "handoff_accept",
                                "Accept a handoff",
                                "Accept a pending handoff; its leases become yours in the same step. Exactly one of several"
                                        + " candidates wins.",
                                Params.of().required("id", STRING, ID),
                                Shapes.object("handoff:object", "moved:array", "blocked:array"),
                                (caller, a) -> {
                                    Acceptance.Accepted done = handoffs.accept(caller, a.string("id"));
                                    return Results.ok(
                                            "Accepted " + done.handoff().id() + "; "
                                                    + done.moved().size()
                                                    + " lease(s) moved to you"
                                                    + (done.blocked().isEmpty()
                                                            ? "."
                                                            : ", "
                                                                    + done.blocked()
                                                                            .size() + " held by others."),
                                            done);
                                })
                        .asIdempotent(),
                HubTool.write(
                                "handoff_decline",
                                "Decline a handoff",
                                "Decline a pending handoff offered to you. One addressed to you alone closes and the sender"
                                        + " keeps the leases; one for a pool or capability stays open for the others.",
                                Params.of()
                                        .required("id", STRING, ID)
                                        .optional("reason", STRING, "Why, for the sender"),
                                Shapes.object(Shapes.HANDOFF),
                                (caller, a) -> {
                                    Handoff h = handoffs.decline(caller, a.string("id"), a.string("reason"));
                                    return Results.ok("Declined " + h.id() + "; it is " + status(h) + ".", h);
                                })
                        .asIdempotent(),
                HubTool.write(
                                "handoff_complete",
                                "Complete a handoff",
                                "Mark a handoff you accepted as done.",
                                Params.of().required("id", STRING, ID).optional("note", STRING, "What was done"),
                                Shapes.object(Shapes.HANDOFF),
                                (caller, a) -> {
                                    Handoff h = handoffs.complete(caller, a.string("id"), a.string("note"));
                                    return Results.ok("Completed " + h.id() + ".", h);
                                })
                        .asIdempotent(),
                HubTool.write(
                                "handoff_cancel",
                                "Cancel a handoff",
                                "Withdraw a pending handoff you created; its leases stay with you.",
                                Params.of().required("id", STRING, ID).optional("note", STRING, "Why, for the record"),
                                Shapes.object(Shapes.HANDOFF),
                                (caller, a) -> {
                                    Handoff h = handoffs.cancel(caller, a.string("id"), a.string("note"));
                                    return Results.ok("Cancelled " + h.id() + ".", h);
                                })
                        .asDestructive()
                        .asIdempotent());
    }

    private static String status(Handoff h) {
        return h.status().name().toLowerCase(Locale.ROOT);
    }

    /** The provider status as given (null if not); a value beyond an int is refused by the service's range check. */
    private static Integer status(Long value) {
        if (value == null) {
            return null;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
