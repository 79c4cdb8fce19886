package io.agenthub.client;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/handoffs}: hand work to an agent ({@code ID}), a pool ({@code pool:NAME}), a capability
 * ({@code capability:NAME}) or {@code any}; accept (the listed leases move with new tokens), decline, complete, cancel.
 */
public final class Handoffs {
    private final Transport t;

    /** {@code to} and {@code fallback} are targets in their written form: {@code agent:ID}, {@code pool:NAME}, ... */
    public record Handoff(
            String id,
            String kind,
            String from,
            String to,
            String fallback,
            String title,
            String context,
            List<String> nextSteps,
            List<String> files,
            List<String> leases,
            long checkpointVersion,
            String status,
            List<String> declinedBy,
            String acceptedBy,
            String note,
            Instant createdAt,
            Instant updatedAt,
            Instant expiresAt,
            Instant acceptedAt,
            Instant closedAt,
            boolean returned) {}

    /** A new handoff; {@code leases} names leases to move, {@code allLeases} moves every lease of the caller. */
    public record Request(
            String to,
            String title,
            String context,
            List<String> nextSteps,
            List<String> files,
            List<String> leases,
            Boolean allLeases,
            Boolean fromCheckpoint) {}

    /** An accepted handoff, the leases that moved to the caller (new tokens) and those that could not. */
    public record Acceptance(Handoff handoff, List<Leases.Lease> leases, JsonNode blocked) {}

    record Note(String note, String reason) {}

    record Transfer(String agentId) {}

    record HandoffList(List<Handoff> handoffs) {}

    Handoffs(Transport t) {
        this.t = t;
    }

    public Handoff create(Request request) {
        return t.post("/api/handoffs", request, Handoff.class);
    }

    /** Asks for a context transfer of {@code agentId} (null: the caller) to a fresh agent. */
    public Handoff transfer(String agentId) {
        return t.post("/api/handoffs/transfer", new Transfer(agentId), Handoff.class);
    }

    /**
     * Handoffs by status ({@code open}, {@code pending}, {@code accepted}, ...; null: open); {@code mine} only those
     * from or for the caller.
     */
    public List<Handoff> list(String status, boolean mine, Integer limit) {
        return t.get(
                        Transport.query(
                                "/api/handoffs", "status", status, "mine", mine ? "true" : null, "limit", limit),
                        HandoffList.class)
                .handoffs();
    }

    public Handoff get(String id) {
        return t.get("/api/handoffs/" + Transport.segment(id), Handoff.class);
    }

    public Acceptance accept(String id) {
        return t.post("/api/handoffs/" + Transport.segment(id) + "/accept", java.util.Map.of(), Acceptance.class);
    }

    public Handoff decline(String id, String reason) {
        return t.post("/api/handoffs/" + Transport.segment(id) + "/decline", new Note(null, reason), Handoff.class);
    }

    public Handoff complete(String id, String note) {
        return t.post("/api/handoffs/" + Transport.segment(id) + "/complete", new Note(note, null), Handoff.class);
    }

    public Handoff cancel(String id, String note) {
        return t.post("/api/handoffs/" + Transport.segment(id) + "/cancel", new Note(note, null), Handoff.class);
    }
}
