package io.agenthub.audit;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes audit events with the hub's clock. */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private final AuditStore store;
    private final InstantSource clock;

    public AuditLog(AuditStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records that {@code actor} did {@code action} to {@code subject}. */
    public AuditEvent record(String actor, String action, String subject, Map<String, String> details) {
        AuditEvent event = store.append(new AuditEvent(0, clock.instant(), actor, action, subject, details));
        LOG.info("audit {} {} {} {}", actor, action, subject, details);
        return event;
    }

    public List<AuditEvent> list(long after, int limit) {
        return store.list(after, Math.max(1, Math.min(limit, 1000)));
    }
}
