package io.agenthub.server.ops;

import io.agenthub.message.Message;
import io.agenthub.message.MessageEvents;
import io.agenthub.trace.TraceService;

/** The operations side of message events: counts stored messages by kind and records each in its author's trail. */
public final class MessageObservations implements MessageEvents {
    private final HubMetrics metrics;
    private final TraceService traces;

    public MessageObservations(HubMetrics metrics, TraceService traces) {
        this.metrics = metrics;
        this.traces = traces;
    }

    @Override
    public void stored(Message m) {
        String kind = m.kind().name().toLowerCase();
        metrics.message(kind);
        traces.record(
                m.author(), "message", kind, m.kind() == Message.Kind.CHAT ? "#" + m.channel() : m.to(), m.id(), 0);
    }
}
