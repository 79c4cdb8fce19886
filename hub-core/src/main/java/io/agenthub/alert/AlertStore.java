package io.agenthub.alert;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for alerts: the current state of each rule and the history of firings and resolutions, shared by all hub
 * nodes. A transition is a compare-and-set on the rule's version, so that when several nodes evaluate the same rule,
 * exactly one of them records (and therefore notifies) each firing and each resolution.
 */
public interface AlertStore {
    /** A recorded transition: the stored state and the stored event (with its sequence number), if one was given. */
    record Recorded(AlertState state, AlertEvent event) {}

    /** Every recorded rule state, by rule name. */
    List<AlertState> states();

    /** One rule's state, if it was ever recorded. */
    Optional<AlertState> state(String rule);

    /**
     * Replaces the state of {@code next.rule()} only if its stored version is {@code expectedVersion} (0 when it has no
     * stored state), storing it with version {@code expectedVersion + 1}; in the same atomic operation appends
     * {@code event} (if not null) to the history with the next sequence number. Returns what was stored, or empty (and
     * appends nothing) if another writer came first.
     */
    Optional<Recorded> transition(long expectedVersion, AlertState next, AlertEvent event);

    /** History entries, newest first, at most {@code limit}. */
    List<AlertEvent> history(int limit);

    /** Deletes history entries recorded before {@code before}; returns how many. */
    int purgeHistoryBefore(Instant before);
}
