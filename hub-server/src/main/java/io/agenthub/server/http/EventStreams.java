package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.message.Message;
import io.agenthub.message.MessageService;
import io.agenthub.server.wire.JsonCodec;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: the caller's message feed ({@link MessageService#feed}) as server-sent events. Each message
 * is an event named {@code message} whose {@code id} is its cursor, so a reconnecting {@code EventSource} resumes with
 * {@code Last-Event-ID}; {@code ?after=} does the same for other clients, and without either the stream starts with
 * what comes next. A comment line is sent when nothing happened for {@link #HEARTBEAT} (or the policy's shorter
 * {@code maxWait}), which keeps proxies from closing the connection and finds clients that went away.
 *
 * <p>Each stream is held by a virtual thread of its own that waits on the message signal; the request is asynchronous,
 * so no container thread is held. A stream ends when a write fails (the client left), when the container reports an
 * error, or when the hub closes.
 */
public final class EventStreams implements AutoCloseable {
    /** The longest the stream stays silent. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final byte[] HEARTBEAT_LINE = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    // Tells EventSource clients how soon to reconnect after the stream drops.
    private static final byte[] PREAMBLE = "retry: 3000\n\n".getBytes(StandardCharsets.US_ASCII);

    private final MessageService messages;
    private final Set<Thread> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public EventStreams(MessageService messages) {
        this.messages = messages;
    }

    /** How many streams are open now. */
    public int openStreams() {
        return open.size();
    }

    Reply open(Call call) {
        Principal caller = call.principal();
        long after = resumeFrom(call);
        int batch = messages.policy().maxLimit();
        // Reading the backlog here validates the request while errors can still be sent as problem+json.
        MessageService.Page first = messages.feed(caller, after, batch, Duration.ZERO);
        if (closed) {
            throw new HubException.Unavailable(
                    "The hub is shutting down; reconnect shortly.", Duration.ofSeconds(1), null);
        }
        HttpServletResponse response = call.response();
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = call.request().startAsync();
        async.setTimeout(0);
        Thread stream =
                Thread.ofVirtual().name("events-" + caller.id()).unstarted(() -> stream(caller, first, batch, async));
        async.addListener(new Interrupter(stream));
        open.add(stream);
        stream.start();
        return Reply.STREAMED;
    }

    private long resumeFrom(Call call) {
        String lastEventId = call.header("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                return Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw new HubException.InvalidRequest(
                        "Last-Event-ID must be a message cursor; got '" + lastEventId + "'.",
                        Map.of("field", "Last-Event-ID"));
            }
        }
        return call.query("after") != null ? call.queryLong("after", 0) : messages.latestCursor();
    }

    private void stream(Principal caller, MessageService.Page first, int batch, AsyncContext async) {
        Duration wait = HEARTBEAT.compareTo(messages.policy().maxWait()) < 0
                ? HEARTBEAT
                : messages.policy().maxWait();
        try {
            ServletOutputStream out = async.getResponse().getOutputStream();
            out.write(PREAMBLE);
            MessageService.Page page = first;
            boolean initial = true;
            while (true) {
                for (Message m : page.messages()) {
                    out.write(event(m));
                }
                if (page.messages().isEmpty() && !initial) {
                    out.write(HEARTBEAT_LINE);
                }
                out.flush();
                initial = false;
                page = messages.feed(caller, page.nextCursor(), batch, wait);
                if (Thread.currentThread().isInterrupted() || closed) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("event stream of {} ended: {}", caller.id(), e.toString());
        } catch (HubException e) {
            LOG.warn("event stream of {} stopped: {}", caller.id(), e.getMessage());
        } finally {
            open.remove(Thread.currentThread());
            complete(async);
        }
    }

    private static byte[] event(Message m) {
        String json = JsonCodec.MAPPER.writeValueAsString(m);
        return ("id: " + m.cursor() + "\nevent: message\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (RuntimeException e) {
            // The connection or the server is already gone; there is nothing left to finish.
            LOG.debug("completing an event stream failed: {}", e.toString());
        }
    }

    /** Ends every open stream; new ones are refused. */
    @Override
    public void close() {
        closed = true;
        open.forEach(Thread::interrupt);
    }

    /** Wakes the stream's thread when the container gives up on the request. */
    private record Interrupter(Thread stream) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onTimeout(AsyncEvent event) {
            stream.interrupt();
        }

        @Override
        public void onError(AsyncEvent event) {
            stream.interrupt();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }
}
