package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.ChangeSignal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The change signal: this node's listeners hear each announcement once, with its topics, at once. */
public abstract class ChangeSignalContract extends StoresContract {
    @Test
    void a_listener_hears_each_announcement_once_with_its_topics() throws Exception {
        List<Set<String>> heard = new CopyOnWriteArrayList<>();
        stores.changeSignal().listen(topics -> {
            if (!topics.contains(ChangeSignal.EVERYTHING)) {
                heard.add(Set.copyOf(topics));
            }
        });
        stores.changeSignal().publish(Set.of("leases", "agents"));
        stores.changeSignal().publish(Set.of());
        stores.changeSignal().publish(Set.of("memories"));
        assertThat(heard).as("heard at once, on the publishing thread's way").hasSize(2);
        // A shared backend echoes announcements back to the node that sent them: they must not be heard twice.
        Thread.sleep(500);
        assertThat(heard).containsExactly(Set.of("leases", "agents"), Set.of("memories"));
        assertThat(stores.changeSignal()).as("one signal per stores").isSameAs(stores.changeSignal());
    }
}
