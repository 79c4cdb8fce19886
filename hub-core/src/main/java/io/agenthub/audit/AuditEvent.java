package io.agenthub.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A record of an action that changed who may do what or took something from someone: credentials issued or revoked,
 * forced or reaped lease releases, presence transitions. Written by the server, never self-reported.
 *
 * @param seq position in the audit log, assigned by the store
 */
public record AuditEvent(
        long seq, Instant at, String actor, String action, String subject, Map<String, String> details) {
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        subject = subject == null ? "" : subject;
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
