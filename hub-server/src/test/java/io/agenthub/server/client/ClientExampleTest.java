package io.agenthub.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.client.HubClient;
import io.agenthub.client.HubLease;
import io.agenthub.client.HubProblem;
import io.agenthub.client.MessageFeed;
import io.agenthub.client.Messages;
import io.agenthub.server.TestHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example of the README's "Java client" section and docs/client.md, run against a live hub. */
@Timeout(60)
class ClientExampleTest {

    /** The documented example, kept identical to the README and docs/client.md. */
    static List<String> example(String hubUrl, String token) {
        List<String> log = new ArrayList<>();
        HubClient hub = HubClient.builder()
                .urls(hubUrl) // more URLs give fail-over
                .token(token)
                .build();
        try (HubLease lease = hub.leases().acquire("src/app.java", Duration.ofMinutes(10))) {
            lease.onLost(lost -> log.add("lost: " + lost.reason())); // stop editing
            hub.messages().post("general", "editing src/app.java, token " + lease.token());
            // ... edit the file while the lease renews itself ...
        } catch (HubProblem.Conflict held) {
            log.add("held by " + held.holder().orElse("?") + " until "
                    + held.expiresAt().orElse(null));
        }
        try (MessageFeed inbox = hub.messages().inboxFeed(null, Duration.ofSeconds(25))) {
            Messages.Message m = inbox.next(); // blocks until a DM or mention arrives
            log.add(m.author() + ": " + m.text());
            hub.messages().ack(m.cursor());
        }
        return log;
    }

    @Test
    void the_documented_example_runs_against_a_live_hub() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("alice");
            HubClient lead =
                    HubClient.builder().urls(hub.url()).token(hub.agent("lead")).build();
            lead.messages().dm("alice", "please review src/app.java");

            assertThat(example(hub.url(), token)).containsExactly("lead: please review src/app.java");
            assertThat(lead.messages().chat("general", null, null, 5, null).messages())
                    .extracting(Messages.Message::text)
                    .anyMatch(t -> t.startsWith("editing src/app.java"));
            assertThat(lead.leases().active())
                    .as("the lease was released on close")
                    .isEmpty();
        }
    }
}
