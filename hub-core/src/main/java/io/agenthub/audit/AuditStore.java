package io.agenthub.audit;

import java.util.List;

/** Storage SPI for the append-only audit log. */
public interface AuditStore {
    /** Appends an event; the returned copy carries its assigned, strictly increasing {@code seq}. */
    AuditEvent append(AuditEvent event);

    /** Events with {@code seq > after}, oldest first, at most {@code limit}. */
    List<AuditEvent> list(long after, int limit);
}
