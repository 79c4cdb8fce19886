package io.agenthub.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The caller's messages as server-sent events ({@code GET /api/events}), read as a blocking iterator. Each event's
 * {@code id} is the message cursor. When the connection drops (the hub restarts, a proxy cuts it) the stream waits the
 * hub's {@code retry} delay (at most three seconds), reconnects to the next URL that answers and sends
 * {@code Last-Event-ID}, so the hub replays what was missed. Problems other than unreachable, 503 and 429 are thrown
 * from {@link #hasNext()}.
 *
 * <p>Not thread-safe, except {@link #close()}, which also ends a read in progress.
 */
public final class EventStream implements Iterator<Messages.Message>, AutoCloseable {
    private static final Duration MAX_RETRY = Duration.ofSeconds(3);

    private final Transport t;
    private final Long after;
    private final ArrayDeque<Messages.Message> buffer = new ArrayDeque<>();
    private String lastEventId;
    private Duration retry = Duration.ofSeconds(1);
    private volatile BufferedReader reader;
    private volatile InputStream body;
    private volatile boolean closed;
    private int connects;

    /** Connects now, so that the stream sees everything from this moment; a hub that cannot be reached is retried. */
    EventStream(Transport t, Long after) {
        this.t = t;
        this.after = after;
        try {
            connect();
        } catch (HubProblem.Unreachable | HubProblem.Unavailable | HubProblem.RateLimited e) {
            // hasNext() connects again, after the hub's retry delay.
        }
    }

    /** Blocks until an event is there; false once closed. */
    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && !closed) {
            try {
                if (reader == null) {
                    connect();
                }
                readEvent();
            } catch (IOException | HubProblem.Unreachable | HubProblem.Unavailable | HubProblem.RateLimited e) {
                disconnect();
                if (closed || Thread.currentThread().isInterrupted()) {
                    break;
                }
                Duration pause = e instanceof HubProblem p ? p.retryAfter().orElse(retry) : retry;
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return !buffer.isEmpty();
    }

    @Override
    public Messages.Message next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The event stream is closed.");
        }
        return buffer.removeFirst();
    }

    /** The id of the last event received (a message cursor), sent as {@code Last-Event-ID} on reconnects; or null. */
    public String lastEventId() {
        return lastEventId;
    }

    /** How many connections the stream opened so far (1 until the first reconnect). */
    public int connects() {
        return connects;
    }

    private void connect() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        String path = "/api/events";
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        } else if (after != null) {
            path = Transport.query(path, "after", after);
        }
        HttpResponse<InputStream> r = t.stream(path, headers);
        connects++;
        body = r.body();
        reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        if (closed) {
            disconnect();
        }
    }

    /** Reads lines up to the end of one event; adds it to the buffer when it is a message. */
    private void readEvent() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        while (true) {
            BufferedReader in = reader;
            String line = in == null ? null : in.readLine();
            if (line == null) {
                throw new IOException("the hub closed the event stream");
            }
            if (line.isEmpty()) {
                if (id != null) {
                    lastEventId = id;
                }
                if (!data.isEmpty() && (event == null || event.equals("message"))) {
                    buffer.add(
                            Transport.decode(data.toString().getBytes(StandardCharsets.UTF_8), Messages.Message.class));
                }
                return;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "id" -> id = value;
                case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                case "retry" -> retry(value);
                default -> {}
            }
        }
    }

    private void retry(String value) {
        try {
            Duration d = Duration.ofMillis(Long.parseLong(value.strip()));
            retry = d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
        } catch (NumberFormatException e) {
            // The field is ignored when it is not a number, as EventSource does.
        }
    }

    private void disconnect() {
        InputStream b = body;
        reader = null;
        body = null;
        if (b != null) {
            try {
                b.close();
            } catch (IOException e) {
                // Already broken; nothing to do.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        disconnect();
    }
}
