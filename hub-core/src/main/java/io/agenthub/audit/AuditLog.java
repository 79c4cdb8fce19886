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
    private volatile boolean logged = true;
    private volatile java.util.function.Consumer<AuditEvent> observer = e -> {};

    public AuditLog(AuditStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records that {@code actor} did {@code action} to {@code subject}. */
    public AuditEvent record(String actor, String action, String subject, Map<String, String> details) {
        AuditEvent event = store.append(new AuditEvent(0, clock.instant(), actor, action, subject, details));
        if (logged) {
            LOG.info("audit {} {} {} {}", actor, action, subject, details);
        }
        observer.accept(event);
        return event;
    }

    /**
     * Stops writing an {@code audit} line to the server log for each event: for the self-test's scratch hubs, whose
     * synthetic agents would otherwise fill the real log with audit lines about nobody. Events are still stored.
     */
    public AuditLog quiet() {
        logged = false;
        return this;
    }

    /** Whether each event is also written to the server log. */
    public boolean logged() {
        return logged;
    }

    /**
     * Told of every event once it is stored (security events count privileged label changes from here, the dashboard
     * learns what the hub changed by itself). Observers add up: each is told, in the order they were added.
     */
    public synchronized AuditLog observe(java.util.function.Consumer<AuditEvent> observer) {
        this.observer = this.observer.andThen(observer);
        return this;
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
