package io.agenthub.alert;

import io.agenthub.tier.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules. On each pass every rule is measured and its state moves: inactive to pending when the
 * condition starts to hold, pending to firing once it has held for the rule's {@code holdFor} (at once when that is
 * zero), and back to inactive when it stops holding (a firing alert then resolves). Firing and resolving are recorded
 * with a compare-and-set and delivered to the notifiers by the node that recorded them, so an alert is sent once when it
 * fires and once when it resolves, however many nodes evaluate and however often.
 */
public final class AlertEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final AlertStore store;
    private final Map<String, AlertRule> rules = new LinkedHashMap<>();
    private final List<AlertNotifier> notifiers;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, Reading> lastReadings = new ConcurrentHashMap<>();

    /** A rule with its state and this node's latest reading. */
    public record RuleStatus(AlertRule rule, AlertState state, Reading lastReading) {}

    public AlertEngine(AlertStore store, List<AlertRule> rules, List<AlertNotifier> notifiers, InstantSource clock) {
        this.store = store;
        rules.forEach(r -> {
            if (this.rules.put(r.name(), r) != null) {
                throw new IllegalArgumentException("two alert rules are named " + r.name());
            }
        });
        this.notifiers = List.copyOf(notifiers);
        this.clock = clock;
    }

    /** One pass over every rule; returns the events this node recorded (and delivered). */
    public List<AlertEvent> evaluate() {
        Instant now = clock.instant();
        Map<String, AlertState> states =
                store.states().stream().collect(Collectors.toMap(AlertState::rule, Function.identity()));
        List<AlertEvent> events = new ArrayList<>();
        for (AlertRule rule : rules.values()) {
            Reading reading;
            try {
                reading = rule.evaluator().get();
            } catch (RuntimeException e) {
                lastReadings.put(rule.name(), Reading.unknown("could not evaluate: " + e.getMessage()));
                LOG.warn("Alert rule {} could not be evaluated: {}", rule.name(), e.getMessage());
                continue;
            }
            lastReadings.put(rule.name(), reading);
            AlertState current = states.getOrDefault(rule.name(), AlertState.initial(rule));
            step(rule, current, reading, now).ifPresent(events::add);
        }
        for (AlertState orphan : states.values()) {
            if (!rules.containsKey(orphan.rule()) && orphan.status() != AlertState.Status.INACTIVE) {
                AlertRule gone = new AlertRule(
                        orphan.rule(),
                        orphan.severity(),
                        Duration.ZERO,
                        "rule disabled",
                        "",
                        null,
                        () -> Reading.unknown(""));
                step(gone, orphan, new Reading(null, false, "the rule was disabled or removed"), now)
                        .ifPresent(events::add);
            }
        }
        return events;
    }

    private Optional<AlertEvent> step(AlertRule rule, AlertState current, Reading reading, Instant now) {
        AlertState next = null;
        AlertEvent event = null;
        switch (current.status()) {
            case INACTIVE -> {
                if (reading.breached()) {
                    if (rule.holdFor().isZero()) {
                        next = current.next(AlertState.Status.FIRING, now, reading);
                        event = event(rule, AlertEvent.Kind.FIRING, now, reading, now);
                    } else {
                        next = current.next(AlertState.Status.PENDING, now, reading);
                    }
                }
            }
            case PENDING -> {
                if (!reading.breached()) {
                    next = current.next(AlertState.Status.INACTIVE, now, reading);
                } else if (!now.isBefore(current.since().plus(rule.holdFor()))) {
                    next = current.next(AlertState.Status.FIRING, now, reading);
                    event = event(rule, AlertEvent.Kind.FIRING, now, reading, current.since());
                }
            }
            case FIRING -> {
                if (!reading.breached()) {
                    next = current.next(AlertState.Status.INACTIVE, now, reading);
                    event = event(rule, AlertEvent.Kind.RESOLVED, now, reading, current.since());
                }
            }
        }
        if (next == null) {
            return Optional.empty();
        }
        Optional<AlertStore.Recorded> stored = store.transition(current.version(), next, event);
        if (stored.isEmpty() || stored.get().event() == null) {
            return Optional.empty();
        }
        AlertEvent recorded = stored.get().event();
        for (AlertNotifier n : notifiers) {
            try {
                n.deliver(recorded, rule);
            } catch (RuntimeException e) {
                LOG.warn("Alert notifier failed for {}: {}", rule.name(), e.getMessage());
            }
        }
        return Optional.of(recorded);
    }

    private static AlertEvent event(AlertRule rule, AlertEvent.Kind kind, Instant now, Reading r, Instant started) {
        return new AlertEvent(0, rule.name(), rule.severity(), kind, now, r.value(), r.summary(), started);
    }

    /** Every rule with its recorded state (inactive if never recorded) and this node's latest reading. */
    public List<RuleStatus> status() {
        Map<String, AlertState> states =
                store.states().stream().collect(Collectors.toMap(AlertState::rule, Function.identity()));
        List<RuleStatus> out = new ArrayList<>();
        for (AlertRule rule : rules.values()) {
            out.add(new RuleStatus(
                    rule, states.getOrDefault(rule.name(), AlertState.initial(rule)), lastReadings.get(rule.name())));
        }
        return out;
    }

    /** Firing and resolution history, newest first. */
    public List<AlertEvent> history(int limit) {
        return store.history(Math.max(1, Math.min(limit, 1000)));
    }

    /** What firing rules with a tier action demand now, by rule name (read from the store: fleet-wide). */
    public Map<String, Tier> demandedTiers() {
        Map<String, Tier> out = new LinkedHashMap<>();
        for (AlertState s : store.states()) {
            AlertRule rule = rules.get(s.rule());
            if (rule != null && rule.raises() != null && s.status() == AlertState.Status.FIRING) {
                out.put(rule.name(), rule.raises());
            }
        }
        return out;
    }

    /** The rules, in evaluation order. */
    public List<AlertRule> rules() {
        return List.copyOf(rules.values());
    }

    /** Forgets history older than {@code keep}. */
    public int purge(Duration keep) {
        return store.purgeHistoryBefore(clock.instant().minus(keep));
    }
}
