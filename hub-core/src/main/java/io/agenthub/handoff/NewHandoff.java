package io.agenthub.handoff;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A handoff before the store has given it an id; fields as in {@link Handoff}. It is created pending.
 *
 * @param dedupeKey if not empty, the store creates nothing while an open handoff with the same key exists (one
 *     transfer per agent, one reaped handoff per silent agent)
 */
public record NewHandoff(
        Handoff.Kind kind,
        String from,
        Target to,
        Target fallback,
        String title,
        String context,
        List<String> nextSteps,
        List<String> files,
        List<String> leases,
        long checkpointVersion,
        Instant createdAt,
        Instant expiresAt,
        String dedupeKey) {
    public NewHandoff {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        title = title == null ? "" : title;
        context = context == null ? "" : context;
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        files = files == null ? List.of() : List.copyOf(files);
        leases = leases == null ? List.of() : List.copyOf(leases);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        dedupeKey = dedupeKey == null ? "" : dedupeKey;
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
    }

    /** The stored form with {@code id}, pending. */
    public Handoff toHandoff(String id) {
        return new Handoff(
                id,
                kind,
                from,
                to,
                fallback,
                title,
                context,
                nextSteps,
                files,
                leases,
                checkpointVersion,
                HandoffStatus.PENDING,
                List.of(),
                "",
                "",
                createdAt,
                createdAt,
                expiresAt,
                null,
                null,
                false);
    }
}
