package io.agenthub.agent;

import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records agents' progress for stall detection. Writes are coalesced to one per agent every few seconds on this node
 * (stalls are judged in minutes), except while the agent is stalled: then the first progress clears the stall at once
 * and announces the recovery.
 */
public final class ProgressTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);
    private static final Duration WRITE_EVERY = Duration.ofSeconds(5);

    private final ProgressStore store;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Consumer<String> alert;
    private final ConcurrentHashMap<String, Instant> lastWrite = new ConcurrentHashMap<>();

    /** @param alert posts a hub alert (the alert channel) */
    public ProgressTracker(ProgressStore store, AuditLog audit, InstantSource clock, Consumer<String> alert) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.alert = alert;
    }

    /** Records progress by {@code agentId}; the admin and hub ids are ignored. Never throws. */
    public void record(String agentId) {
        if (agentId == null || Principal.ADMIN_ID.equals(agentId) || "hub".equals(agentId)) {
            return;
        }
        Instant now = clock.instant();
        Instant last = lastWrite.get(agentId);
        if (last != null && Duration.between(last, now).compareTo(WRITE_EVERY) < 0 && !last.isAfter(now)) {
            return;
        }
        lastWrite.put(agentId, now);
        try {
            Optional<Instant> cleared = store.progress(agentId, now);
            cleared.ifPresent(since -> recovered(agentId, since, now));
        } catch (RuntimeException e) {
            // Progress marks are advisory; the agent's own operation has already succeeded.
            LOG.warn("recording progress of {} failed: {}", agentId, e.getMessage());
        }
    }

    /** Forgets this node's coalescing state for {@code agentId}, so that its next progress is written at once. */
    void stalled(String agentId) {
        lastWrite.remove(agentId);
    }

    private void recovered(String agentId, Instant since, Instant now) {
        long minutes = Duration.between(since, now).toMinutes();
        audit.record("hub", "agent.unstalled", agentId, Map.of("stalledSince", since.toString()));
        alert.accept(agentId + " is making progress again (stalled for " + minutes + " min).");
    }
}
