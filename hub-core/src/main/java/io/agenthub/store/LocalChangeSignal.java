package io.agenthub.store;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ChangeSignal} for one process: announcements reach this process's listeners at once. */
public final class LocalChangeSignal implements ChangeSignal {
    private static final Logger LOG = LoggerFactory.getLogger(LocalChangeSignal.class);
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(Set<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        for (Consumer<Set<String>> l : listeners) {
            try {
                l.accept(topics);
            } catch (RuntimeException e) {
                LOG.warn("a change listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void listen(Consumer<Set<String>> listener) {
        listeners.add(listener);
    }
}
