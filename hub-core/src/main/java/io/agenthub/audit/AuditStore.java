package io.agenthub.audit;

import java.util.List;

/** Storage SPI for the append-only audit log. */
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
}
