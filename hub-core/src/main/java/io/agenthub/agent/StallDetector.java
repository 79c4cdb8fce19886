package io.agenthub.agent;

import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Role;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The guide's stall check: an agent that is present (online) but has made no progress for {@code stallAfter} is
 * stalled. The detector raises an alert and attempts a wake: a notice in the agent's inbox (and so its event stream)
 * and, if the agent registered a {@value #WAKE_URL_LABEL} label, a POST to that URL. The stall clears itself with the
 * agent's next progress ({@link ProgressTracker}). Runs on a schedule; safe on several hub nodes at once, because
 * marking a stall is a compare-and-set and only the node that marks it alerts and wakes.
 */
public final class StallDetector {
    /** The agent label that holds an http(s) URL the hub POSTs to when the agent stalls. */
    public static final String WAKE_URL_LABEL = "wake-url";

    private final AgentStore agents;
    private final ProgressStore progress;
    private final ProgressTracker tracker;
    private final Duration stallAfter;
    private final Duration presentWithin;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Consumer<String> alert;
    private final BiConsumer<String, String> notice;
    private final Waker waker;

    /** What one pass found: the agents it marked stalled now, and every agent stalled after the pass. */
    public record Pass(List<String> newlyStalled, List<Progress> stalled) {}

    /**
     * @param presentWithin an agent counts as present while its last call is more recent than this (the presence
     *     policy's stale threshold), also between two reaper passes
     * @param alert posts a hub alert (the alert channel)
     * @param notice sends a hub notice to one agent: (agent id, text)
     */
    public StallDetector(
            AgentStore agents,
            ProgressStore progress,
            ProgressTracker tracker,
            Duration stallAfter,
            Duration presentWithin,
            AuditLog audit,
            InstantSource clock,
            Consumer<String> alert,
            BiConsumer<String, String> notice,
            Waker waker) {
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive");
        }
        this.agents = agents;
        this.progress = progress;
        this.tracker = tracker;
        this.stallAfter = stallAfter;
        this.presentWithin = presentWithin;
        this.audit = audit;
        this.clock = clock;
        this.alert = alert;
        this.notice = notice;
        this.waker = waker;
    }

    public Duration stallAfter() {
        return stallAfter;
    }

    /** One pass over all present agents. */
    public Pass run() {
        Instant now = clock.instant();
        Instant quietSince = now.minus(stallAfter);
        Map<String, Progress> marks =
                progress.list().stream().collect(Collectors.toMap(Progress::agentId, Function.identity()));
        List<String> newly = new ArrayList<>();
        List<Progress> stalled = new ArrayList<>();
        for (Agent agent : agents.list()) {
            Progress p = marks.get(agent.id());
            boolean present = agent.presence() == Presence.ONLINE
                    && Duration.between(agent.lastSeen(), now).compareTo(presentWithin) < 0;
            // A disabled agent is not woken: its tokens are revoked and its wake URL may be an attacker's.
            if (agent.role() != Role.AGENT || !present || agent.disabled() != null) {
                continue;
            }
            if (p != null && p.stalled()) {
                stalled.add(p);
                continue;
            }
            // Quiet since its last progress, or since it came online if that was later.
            Instant last = p == null || p.lastProgressAt() == null ? Instant.EPOCH : p.lastProgressAt();
            Instant quiet = last.isAfter(agent.presenceSince()) ? last : agent.presenceSince();
            if (!quiet.isAfter(quietSince) && progress.markStalled(agent.id(), quietSince, now)) {
                newly.add(agent.id());
                stalled.add(new Progress(agent.id(), p == null ? null : p.lastProgressAt(), now));
                stall(agent, quiet, now);
            }
        }
        return new Pass(newly, stalled);
    }

    /** The agents marked stalled now, ordered by id. */
    public List<Progress> stalled() {
        return progress.list().stream().filter(Progress::stalled).toList();
    }

    /** The progress marks of one agent. */
    public Optional<Progress> progressOf(String agentId) {
        return progress.find(agentId);
    }

    private void stall(Agent agent, Instant quiet, Instant now) {
        tracker.stalled(agent.id());
        long minutes = Duration.between(quiet, now).toMinutes();
        String task = agent.currentTask().isEmpty() ? "" : " on \"" + agent.currentTask() + "\"";
        audit.record("hub", "agent.stalled", agent.id(), Map.of("quietSince", quiet.toString()));
        alert.accept(agent.id() + " is stalled: present but no progress" + task + " for " + minutes
                + " min (no task or status change, lease, message, checkpoint or usage report). Waking it.");
        String reason = "Wake up: the hub has seen no progress from you for " + minutes + " min. Report what you are"
                + " doing (heartbeat with your current task), or save a checkpoint and hand over if you are stuck.";
        notice.accept(agent.id(), reason);
        wakeUrl(agent).ifPresent(url -> waker.wake(agent.id(), url, reason));
    }

    private static Optional<URI> wakeUrl(Agent agent) {
        String value = agent.labels().get(WAKE_URL_LABEL);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value.strip());
            String scheme = uri.getScheme();
            return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)
                    ? Optional.of(uri)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
