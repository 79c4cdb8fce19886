package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.message.Message;
import io.agenthub.server.wire.JsonCodec;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/dashboard/events}: one page's server-sent events from the {@link DashboardFeed}. The stream starts
 * with a {@code snapshot} event (everything the page shows) and continues with change events ({@code agents},
 * {@code leases}, {@code messages}, {@code overview}, {@code handoffs}, {@code errors}, {@code tasks}, {@code pools},
 * {@code rollouts}, {@code alerts}, {@code memories}, {@code audit}); a page that reconnects with
 * {@code Last-Event-ID} gets only what it missed, or a new snapshot. A viewer's stream leaves out direct messages,
 * notices and the audit log. A stream opened with the session cookie checks the session at every heartbeat and ends with a
 * {@code logout} event once it was closed or expired.
 */
public final class DashboardStream implements AutoCloseable {
    /** The longest the stream stays silent. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(DashboardStream.class);
    private static final byte[] HEARTBEAT_LINE = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREAMBLE = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);

    private final DashboardFeed feed;
    private final DashboardSessions sessions;
    private final Set<Thread> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public DashboardStream(DashboardFeed feed, DashboardSessions sessions) {
        this.feed = feed;
        this.sessions = sessions;
    }

    /** How many pages are connected to this node now. */
    public int openStreams() {
        return open.size();
    }

    Reply open(Call call) {
        if (closed) {
            throw new HubException.Unavailable(
                    "The hub is shutting down; reconnect shortly.", Duration.ofSeconds(1), null);
        }
        Principal who = call.principal();
        String cookie = call.header("Authorization") == null ? DashboardSessions.secret(call.request()) : null;
        long after = feed.parse(call.header("Last-Event-ID"));
        feed.subscribe();
        HttpServletResponse response = call.response();
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async;
        try {
            async = call.request().startAsync();
        } catch (RuntimeException e) {
            feed.unsubscribe();
            throw e;
        }
        async.setTimeout(0);
        Thread thread =
                Thread.ofVirtual().name("dashboard-" + who.id()).unstarted(() -> stream(who, cookie, after, async));
        async.addListener(new Interrupter(thread));
        open.add(thread);
        thread.start();
        return Reply.STREAMED;
    }

    private void stream(Principal who, String cookie, long resumeAfter, AsyncContext async) {
        try {
            ServletOutputStream out = async.getResponse().getOutputStream();
            out.write(PREAMBLE);
            long after = resumeAfter;
            if (after < 0 || !feed.resumable(after)) {
                after = snapshot(out, who);
            }
            out.flush();
            long checked = System.nanoTime();
            while (!closed && !Thread.currentThread().isInterrupted()) {
                // A session stream waits no longer than its next session check is due, events or not.
                long untilCheck = HEARTBEAT.toNanos() - (System.nanoTime() - checked);
                Duration wait = cookie == null ? HEARTBEAT : Duration.ofNanos(Math.max(1_000_000, untilCheck));
                List<DashboardFeed.Event> events = feed.await(after, wait);
                // The session is checked every heartbeat however busy the stream is: a page stops getting events
                // within one heartbeat of a logout (on any node) or of the session's expiry.
                if (cookie != null && System.nanoTime() - checked >= HEARTBEAT.toNanos()) {
                    checked = System.nanoTime();
                    if (!stillOpen(cookie)) {
                        out.write(event(null, "logout", Map.of("reason", "session closed or expired")));
                        out.flush();
                        return;
                    }
                }
                if (events == null) {
                    after = snapshot(out, who);
                } else if (events.isEmpty()) {
                    out.write(HEARTBEAT_LINE);
                } else {
                    for (DashboardFeed.Event e : events) {
                        Object data = visible(who, e.type(), e.data());
                        if (data == e.data()) {
                            out.write(event(feed.id(e.seq()), e.type(), e.json()));
                        } else if (data != null) {
                            out.write(event(feed.id(e.seq()), e.type(), data));
                        }
                        after = e.seq();
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("dashboard stream of {} ended: {}", who.id(), e.toString());
        } catch (InterruptedException e) {
            LOG.debug("dashboard stream of {} interrupted", who.id());
        } catch (RuntimeException e) {
            LOG.warn("dashboard stream of {} stopped: {}", who.id(), e.getMessage());
        } finally {
            open.remove(Thread.currentThread());
            feed.unsubscribe();
            try {
                async.complete();
            } catch (RuntimeException e) {
                LOG.debug("completing a dashboard stream failed: {}", e.toString());
            }
        }
    }

    private boolean stillOpen(String cookie) {
        try {
            sessions.principal(cookie);
            return true;
        } catch (HubException.Unauthenticated e) {
            return false;
        }
    }

    private long snapshot(ServletOutputStream out, Principal who) throws IOException {
        DashboardFeed.Snapshot s = feed.snapshot();
        Map<String, Object> state = new LinkedHashMap<>(s.state());
        state.put("messages", visible(who, "messages", state.get("messages")));
        if (who.role() != Role.ADMIN) {
            state.remove("audit");
        }
        state.put("you", Map.of("id", who.id(), "role", who.role()));
        out.write(event(feed.id(s.seq()), "snapshot", state));
        return s.seq();
    }

    /**
     * What of an event the caller may see: a viewer gets chat only, no direct messages or notices, and no audit log.
     */
    private static Object visible(Principal who, String type, Object data) {
        if (who.role() == Role.ADMIN) {
            return data;
        }
        if (type.equals("audit")) {
            return null;
        }
        if (!type.equals("messages")) {
            return data;
        }
        @SuppressWarnings("unchecked")
        List<Message> messages = (List<Message>) data;
        List<Message> chat =
                messages.stream().filter(m -> m.kind() == Message.Kind.CHAT).toList();
        return chat.isEmpty() && !messages.isEmpty() ? null : chat;
    }

    private static byte[] event(String id, String type, Object data) {
        return event(id, type, JsonCodec.MAPPER.writeValueAsBytes(data));
    }

    private static byte[] event(String id, String type, byte[] json) {
        byte[] head = ((id == null ? "" : "id: " + id + "\n") + "event: " + type + "\ndata: ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(json, 0, out, head.length, json.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
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
