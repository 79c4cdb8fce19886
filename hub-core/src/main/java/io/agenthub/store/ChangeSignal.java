package io.agenthub.store;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells whoever listens, on every hub node that shares the backend, which kinds of state just changed ("topics" such as
 * {@code leases} or {@code agents}). Like the message signal it says "look again", never what changed: listeners
 * re-read the store. Delivery across nodes is at most once (a lost signal delays a re-read until the listener's own
 * safety refresh); after a gap in which signals may have been lost, listeners hear {@link #EVERYTHING}.
 */
public interface ChangeSignal {
    /** The topic that stands for every topic: announcements may have been missed. */
    String EVERYTHING = "*";

    /** Announces that the state of these topics changed. Cheap and never fails the caller. */
    void publish(Set<String> topics);

    /**
     * Calls {@code listener} with the topics of every announcement, this node's and other nodes'. It runs on a thread
     * of the signal's and must return quickly.
     */
    void listen(Consumer<Set<String>> listener);
}
