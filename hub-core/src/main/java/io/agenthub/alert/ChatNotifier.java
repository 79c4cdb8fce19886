package io.agenthub.alert;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts alert firings and resolutions to group chat as system messages. */
public final class ChatNotifier implements AlertNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ChatNotifier.class);
    private final Consumer<String> announce;

    public ChatNotifier(Consumer<String> announce) {
        this.announce = announce;
    }

    @Override
    public void deliver(AlertEvent event, AlertRule rule) {
        try {
            announce.accept(text(event, rule));
        } catch (RuntimeException e) {
            LOG.warn("Could not post alert {} to chat: {}", event.rule(), e.getMessage());
        }
    }

    /** The chat line for an event, e.g. {@code [FIRING critical] AllAgentsDown: ...}. */
    public static String text(AlertEvent event, AlertRule rule) {
        String head = "[" + event.kind().name() + " " + event.severity().name().toLowerCase() + "] " + event.rule();
        if (event.kind() == AlertEvent.Kind.RESOLVED) {
            Duration lasted = Duration.between(event.startedAt(), event.at()).truncatedTo(ChronoUnit.SECONDS);
            return head + " resolved after " + lasted.toString().substring(2).toLowerCase() + ": " + event.summary();
        }
        return head + ": " + event.summary() + " (" + rule.condition()
                + (rule.holdFor().isZero()
                        ? ""
                        : " for " + rule.holdFor().toString().substring(2).toLowerCase())
                + ")"
                + (rule.raises() == null
                        ? ""
                        : "; the hub goes to tier " + rule.raises().number() + ".");
    }
}
