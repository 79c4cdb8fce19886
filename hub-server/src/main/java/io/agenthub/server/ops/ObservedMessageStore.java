package io.agenthub.server.ops;

import io.agenthub.message.Message;
import io.agenthub.message.MessageStore;
import io.agenthub.message.NewMessage;
import io.agenthub.trace.TraceService;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A {@link MessageStore} that counts stored messages by kind and records each in its author's trail. */
public final class ObservedMessageStore implements MessageStore {
    private final MessageStore delegate;
    private final HubMetrics metrics;
    private final TraceService traces;

    public ObservedMessageStore(MessageStore delegate, HubMetrics metrics, TraceService traces) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.traces = traces;
    }

    @Override
    public Message append(NewMessage message) {
        Message m = delegate.append(message);
        String kind = m.kind().name().toLowerCase();
        metrics.message(kind);
        traces.record(
                m.author(), "message", kind, m.kind() == Message.Kind.CHAT ? "#" + m.channel() : m.to(), m.id(), 0);
        return m;
    }

    @Override
    public List<Message> channel(String channel, long after, int limit) {
        return delegate.channel(channel, after, limit);
    }

    @Override
    public List<Message> latest(String channel, long before, int limit) {
        return delegate.latest(channel, before, limit);
    }

    @Override
    public List<Message> inbox(String agentId, long after, int limit) {
        return delegate.inbox(agentId, after, limit);
    }

    @Override
    public List<Message> chat(long after, int limit) {
        return delegate.chat(after, limit);
    }

    @Override
    public List<Message> chatAndInbox(String agentId, long after, int limit) {
        return delegate.chatAndInbox(agentId, after, limit);
    }

    @Override
    public List<Message> all(long after, int limit) {
        return delegate.all(after, limit);
    }

    @Override
    public List<Message> since(Instant since, int limit) {
        return delegate.since(since, limit);
    }

    @Override
    public Optional<Message> find(String id) {
        return delegate.find(id);
    }

    @Override
    public List<String> channels() {
        return delegate.channels();
    }

    @Override
    public void acknowledge(String agentId, long cursor) {
        delegate.acknowledge(agentId, cursor);
    }

    @Override
    public long acknowledged(String agentId) {
        return delegate.acknowledged(agentId);
    }

    @Override
    public long latestCursor() {
        return delegate.latestCursor();
    }

    @Override
    public int purge(Instant olderThan, int perChannelCap, int max) {
        return delegate.purge(olderThan, perChannelCap, max);
    }
}
