package io.agenthub.handoff;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A piece of work passed from one agent to another, with the leases that go with it.
 *
 * @param id assigned by the store: {@code ho-} and a number that grows with every handoff
 * @param kind why it exists
 * @param from the agent that hands the work over (for a reaped handoff, the silent agent)
 * @param to who may accept it
 * @param fallback where it goes if nobody named in {@code to} accepts it in time; null if it just expires
 * @param leases the resources whose leases move to the recipient on accept
 * @param checkpointVersion the sender's checkpoint the handoff was made from, or 0
 * @param declinedBy agents that declined it (for pool targets it stays open for the others)
 * @param acceptedBy the recipient, or empty while pending
 * @param note why it was declined, cancelled or expired, or the recipient's completion note
 * @param expiresAt when a pending handoff expires
 * @param acceptedAt when it was accepted, or null
 * @param closedAt when it reached a final state, or null
 * @param returned true once it expired with its named target and went back to the pool
 */
public record Handoff(
        String id,
        Kind kind,
        String from,
        Target to,
        Target fallback,
        String title,
        String context,
        List<String> nextSteps,
        List<String> files,
        List<String> leases,
        long checkpointVersion,
        HandoffStatus status,
        List<String> declinedBy,
        String acceptedBy,
        String note,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant acceptedAt,
        Instant closedAt,
        boolean returned) {
    /** Why a handoff exists. */
    public enum Kind {
        /** An agent handed work over by choice. */
        MANUAL,
        /** The agent reached its context limit (or was told to transfer) and hands over to a fresh session. */
        TRANSFER,
        /** The reaper took a silent agent's leases and offers them to its pool. */
        REAPED
    }

    public Handoff {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(status, "status");
        title = title == null ? "" : title;
        context = context == null ? "" : context;
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        files = files == null ? List.of() : List.copyOf(files);
        leases = leases == null ? List.of() : List.copyOf(leases);
        declinedBy = declinedBy == null ? List.of() : List.copyOf(declinedBy);
        acceptedBy = acceptedBy == null ? "" : acceptedBy;
        note = note == null ? "" : note;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** What {@link #summary()} puts in place of the context. */
    public static final String HIDDEN_CONTEXT =
            "(Only the sender, the agents this handoff is addressed to and admins read its context, next steps and"
                    + " files.)";

    /**
     * This handoff without its body (context, next steps, files: for a transfer, the departing agent's checkpoint), for
     * callers who are not a party to it.
     */
    public Handoff summary() {
        return new Handoff(
                id,
                kind,
                from,
                to,
                fallback,
                title,
                HIDDEN_CONTEXT,
                List.of(),
                List.of(),
                leases,
                checkpointVersion,
                status,
                declinedBy,
                acceptedBy,
                note,
                createdAt,
                updatedAt,
                expiresAt,
                acceptedAt,
                closedAt,
                returned);
    }

    /** The store's id for sequence number {@code seq}. */
    public static String idOf(long seq) {
        return "ho-" + seq;
    }

    /** The sequence number in {@code id}, or -1 if it is not a handoff id. */
    public static long seqOf(String id) {
        if (id == null || !id.startsWith("ho-") || id.length() > 22) {
            return -1;
        }
        try {
            long seq = Long.parseLong(id.substring(3));
            return seq > 0 ? seq : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
