package io.agenthub.audit;

import io.agenthub.error.HubException;
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

    /** Events after the cursor {@code after}, oldest first, at most {@code limit} (1 to 1000). */
    public List<AuditEvent> list(long after, int limit) {
        return store.list(after, Math.max(1, Math.min(limit, 1000)));
    }

    /**
     * A page of the log, oldest first: with {@code after}, the events after it; with {@code before}, the events just
     * before it; with neither, the newest events.
     */
    public List<AuditEvent> page(Long after, Long before, int limit) {
        if (after != null && before != null) {
            throw new HubException.InvalidRequest(
                    "Pass after (to read newer events) or before (to read older ones), not both.",
                    Map.of("field", "before"));
        }
        int n = Math.max(1, Math.min(limit, 1000));
        return after != null ? store.list(after, n) : store.latest(before == null ? Long.MAX_VALUE : before, n);
    }
}
