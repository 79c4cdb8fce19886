package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.HandoffRequest;
import io.agenthub.handoff.HandoffService;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.tier.Work;
import io.agenthub.usage.BudgetService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/handoffs}: hand work over to an agent, a pool or anyone with a capability; accept (the listed leases move
 * to the caller with new fencing tokens), decline, complete or cancel; and ask for a transfer.
 *
 * <p>For the degradation tiers, accepting is new work; handing work over (create, transfer), declining, completing and
 * cancelling are upkeep, so that agents can wind down and hand over in every tier. The MCP tools declare the same.
 */
public final class HandoffRoutes {
    private final HandoffService handoffs;
    private final BudgetService budgets;

    record CreateBody(
            String to,
            String title,
            String context,
            List<String> nextSteps,
            List<String> files,
            List<String> leases,
            Boolean allLeases,
            Boolean fromCheckpoint) {}

    record NoteBody(String note, String reason) {}

    record TransferBody(String agentId) {}

    /**
     * @param budgets adds the slow-down headers to a created handoff's answer while the fleet is throttled (creating is
     *     not admitted as new work, so this is its one budget reading); an accept carries them from its own admission
     */
    public HandoffRoutes(HandoffService handoffs, BudgetService budgets) {
        this.handoffs = handoffs;
        this.budgets = budgets;
    }

    public void register(Router r) {
        r.post("/api/handoffs", Access.WRITE, Work.UPKEEP, call -> {
            CreateBody b = call.body(CreateBody.class);
            HandoffRequest request = new HandoffRequest(
                    b.to(),
                    b.title(),
                    b.context(),
                    b.nextSteps(),
                    b.files(),
                    b.leases(),
                    Boolean.TRUE.equals(b.allLeases()),
                    Boolean.TRUE.equals(b.fromCheckpoint()));
            return Directives.with(
                    Reply.created(handoffs.create(call.principal(), request)), Directives.forWork(budgets));
        });
        r.post("/api/handoffs/transfer", Access.WRITE, Work.UPKEEP, call -> {
            TransferBody b = call.bodyOr(TransferBody.class, new TransferBody(null));
            return Reply.ok(handoffs.transfer(call.principal(), b.agentId()));
        });
        r.get("/api/handoffs", Access.READ, call -> {
            String status = call.query("status");
            boolean mine = "true".equals(call.query("mine")) || "1".equals(call.query("mine"));
            int limit = call.queryInt("limit", 100, 1, HandoffService.MAX_LIST);
            return Reply.ok(Map.of("handoffs", handoffs.list(call.principal(), status(status), mine, limit)));
        });
        r.get("/api/handoffs/{id}", Access.READ, call -> Reply.ok(handoffs.get(call.principal(), call.path("id"))));
        r.post("/api/handoffs/{id}/accept", Access.WRITE, Work.NEW_WORK, call -> {
            HandoffService.Taken taken = handoffs.take(call.principal(), call.path("id"));
            Acceptance.Accepted a = taken.accepted();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("handoff", a.handoff());
            out.put("leases", a.moved());
            out.put("blocked", a.blocked());
            return Directives.with(Reply.ok(out), Directives.forAdmission(taken.admission()));
        });
        r.post("/api/handoffs/{id}/decline", Access.WRITE, Work.UPKEEP, call -> {
            NoteBody b = call.bodyOr(NoteBody.class, new NoteBody(null, null));
            return Reply.ok(
                    handoffs.decline(call.principal(), call.path("id"), b.reason() != null ? b.reason() : b.note()));
        });
        r.post("/api/handoffs/{id}/complete", Access.WRITE, Work.UPKEEP, call -> {
            NoteBody b = call.bodyOr(NoteBody.class, new NoteBody(null, null));
            return Reply.ok(handoffs.complete(call.principal(), call.path("id"), b.note()));
        });
        r.post("/api/handoffs/{id}/cancel", Access.WRITE, Work.UPKEEP, call -> {
            NoteBody b = call.bodyOr(NoteBody.class, new NoteBody(null, null));
            return Reply.ok(
                    handoffs.cancel(call.principal(), call.path("id"), b.note() != null ? b.note() : b.reason()));
        });
    }

    private static HandoffStatus status(String value) {
        if (value == null || value.equals("open")) {
            return null;
        }
        try {
            return HandoffStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HubException.InvalidRequest(
                    "status must be open, pending, accepted, declined, completed, expired or cancelled; got '" + value
                            + "'.",
                    Map.of("field", "status"));
        }
    }
}
