package io.agenthub.handoff;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.Presence;
import io.agenthub.auth.Role;
import io.agenthub.message.MessageService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The notices and alerts that handoffs cause. A failed notice never fails the handoff operation. */
final class HandoffNotices {
    private static final Logger LOG = LoggerFactory.getLogger(HandoffNotices.class);
    // Bounds the inbox fan-out of one pool handoff.
    private static final int MAX_CANDIDATES = 50;

    private final MessageService messages;
    private final AgentService agents;
    private final Consumer<String> alert;

    HandoffNotices(MessageService messages, AgentService agents, Consumer<String> alert) {
        this.messages = messages;
        this.agents = agents;
        this.alert = alert;
    }

    /** Tells whoever may accept {@code h} (the named agent, or the online candidates) that it is waiting. */
    void offered(Handoff h) {
        String text = "Handoff " + h.id() + " from " + h.from() + " for " + h.to() + ": " + h.title() + ". "
                + leases(h) + "Accept it (MCP tool handoff_accept, or POST /api/handoffs/" + h.id() + "/accept) before "
                + time(h.expiresAt()) + ", or decline it (handoff_decline).";
        if (h.to().kind() == Target.Kind.AGENT) {
            notice(h.to().value(), text);
            return;
        }
        int sent = 0;
        for (Agent a : agents.list()) {
            if (sent >= MAX_CANDIDATES) {
                break;
            }
            if (a.role() == Role.AGENT
                    && a.presence() == Presence.ONLINE
                    && !a.id().equals(h.from())
                    && h.to().admits(a)) {
                notice(a.id(), text);
                sent++;
            }
        }
    }

    void notice(String to, String text) {
        try {
            messages.notice(to, text);
        } catch (RuntimeException e) {
            LOG.warn("handoff notice to {} failed: {}", to, e.getMessage());
        }
    }

    /** Tells the sender, unless the sender did it. */
    void toSender(Handoff h, String actor, String text) {
        if (!h.from().equals(actor)) {
            notice(h.from(), text);
        }
    }

    void alert(String text) {
        try {
            alert.accept(text);
        } catch (RuntimeException e) {
            LOG.warn("handoff alert failed: {}", e.getMessage());
        }
    }

    static String leases(Handoff h) {
        return h.leases().isEmpty() ? "" : h.leases().size() + " lease(s) move to whoever accepts. ";
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
