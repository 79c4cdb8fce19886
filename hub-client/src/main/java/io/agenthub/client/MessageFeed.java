package io.agenthub.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.LongFunction;

/**
 * A blocking iterator over new messages, fed by long-polls that each continue from the last page's cursor. While the
 * hub is unreachable or answers 503 or 429 it waits (the hub's Retry-After, else one to five seconds) and polls again
 * from the same cursor, so nothing is skipped. Other problems are thrown from {@link #hasNext()}.
 *
 * <p>{@link #cursor()} is the cursor of the last message returned by {@link #next()}: a new feed started from it
 * resumes exactly after that message. Not thread-safe, except {@link #close()}, which ends the iteration after the poll
 * in flight.
 */
public final class MessageFeed implements Iterator<Messages.Message>, AutoCloseable {
    private final LongFunction<Messages.Page> poll;
    private final ArrayDeque<Messages.Message> buffer = new ArrayDeque<>();
    private long pollCursor;
    private long delivered;
    private volatile boolean closed;

    MessageFeed(long after, LongFunction<Messages.Page> poll) {
        this.poll = poll;
        this.pollCursor = after;
        this.delivered = after;
    }

    MessageFeed(Messages.Page first, LongFunction<Messages.Page> poll) {
        this(
                first.messages().isEmpty()
                        ? first.nextCursor()
                        : first.messages().getFirst().cursor() - 1,
                poll);
        buffer.addAll(first.messages());
        pollCursor = first.nextCursor();
    }

    /** Blocks until a message is there; false once closed. */
    @Override
    public boolean hasNext() {
        Duration backoff = Duration.ofSeconds(1);
        while (buffer.isEmpty() && !closed) {
            try {
                Messages.Page page = poll.apply(pollCursor);
                buffer.addAll(page.messages());
                pollCursor = Math.max(pollCursor, page.nextCursor());
                backoff = Duration.ofSeconds(1);
            } catch (HubProblem.Unreachable | HubProblem.Unavailable | HubProblem.RateLimited p) {
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
                Duration pause = p.retryAfter().orElse(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                        ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !buffer.isEmpty();
    }

    @Override
    public Messages.Message next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The feed is closed.");
        }
        Messages.Message m = buffer.removeFirst();
        delivered = m.cursor();
        return m;
    }

    /** The cursor to resume from: that of the last message returned, or the start cursor. */
    public long cursor() {
        return delivered;
    }

    @Override
    public void close() {
        closed = true;
    }
}
