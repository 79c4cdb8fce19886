package io.agenthub.audit;

import java.time.Instant;
import java.util.List;

/**
 * Storage SPI for the append-only audit log and the security events beside it. Security events are not one row per
 * event: the hub counts them in memory ({@link SecurityEvents}) and adds the counts of each minute here every few
 * seconds, so that a flood of refused calls costs no store write per call.
 */
public interface AuditStore {
    /** Appends an event; the returned copy carries its assigned, strictly increasing {@code seq}. */
    AuditEvent append(AuditEvent event);

    /** Events with {@code seq > after}, oldest first, at most {@code limit}. */
    List<AuditEvent> list(long after, int limit);

    /**
     * The newest {@code limit} events with {@code seq < before}, oldest first: a page read backwards
     * ({@link Long#MAX_VALUE} for the newest page). Costs what the page holds, not what the log holds.
     */
    List<AuditEvent> latest(long before, int limit);

    /**
     * Adds each count to the row of its (kind, subject, detail) in the minute that starts at {@code minute} (a whole
     * minute, UTC), creating it at zero. Atomic: all counts are added or none, and concurrent adds (from several hub
     * nodes) never lose an increment.
     */
    void addSecurityEvents(Instant minute, List<SecurityEvent> counts);

    /**
     * Totals per (kind, subject, detail) over the minutes that start in {@code [from, to)}, largest count first (ties
     * by kind, subject, detail). Rows without counts are absent.
     */
    List<SecurityEvent> securityEvents(Instant from, Instant to);

    /** Deletes the security event minutes that start before {@code before}; returns how many rows went. */
    int purgeSecurityEventsBefore(Instant before);
}
