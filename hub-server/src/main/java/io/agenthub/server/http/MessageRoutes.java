package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.message.MessageService;
import io.agenthub.tier.Work;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * {@code /api/chat}, {@code /api/dm}, {@code /api/inbox}, {@code /api/channels} and the event stream
 * {@code /api/events}. Reads take {@code after} (a cursor), {@code limit} and {@code wait} (seconds to wait for
 * something new, decimals allowed) and answer {@code {messages, nextCursor, prevCursor}}. Without {@code after} a chat
 * read returns the newest page ({@code before} pages back), and an inbox read what is not acknowledged yet.
 */
public final class MessageRoutes {
    private final MessageService messages;
    private final EventStreams events;

    record PostBody(String channel, String text, String replyTo) {}

    record DmBody(String to, String text) {}

    record AckBody(Long cursor) {}

    public MessageRoutes(MessageService messages, EventStreams events) {
        this.messages = messages;
        this.events = events;
    }

    public void register(Router r) {
        r.post("/api/chat", Access.WRITE, call -> {
            PostBody b = call.body(PostBody.class);
            return Reply.created(messages.post(call.principal(), b.channel(), b.text(), b.replyTo()));
        });
        r.get(
                "/api/chat",
                Access.READ,
                call -> Reply.ok(messages.readChat(
                        call.query("channel"),
                        cursor(call, "after"),
                        cursor(call, "before"),
                        limit(call),
                        wait(call))));
        r.post("/api/dm", Access.WRITE, call -> {
            DmBody b = call.body(DmBody.class);
            return Reply.created(messages.dm(call.principal(), b.to(), b.text()));
        });
        r.get(
                "/api/inbox",
                Access.READ,
                call -> Reply.ok(messages.readInbox(call.principal(), cursor(call, "after"), limit(call), wait(call))));
        r.post("/api/inbox/ack", Access.WRITE, Work.UPKEEP, call -> {
            AckBody b = call.body(AckBody.class);
            if (b.cursor() == null) {
                throw new HubException.InvalidRequest("cursor is required: the last inbox cursor you have handled.");
            }
            return Reply.ok(Map.of("acknowledged", messages.acknowledge(call.principal(), b.cursor())));
        });
        r.get("/api/channels", Access.READ, call -> Reply.ok(Map.of("channels", messages.channels())));
        r.get("/api/events", Access.READ, events::open);
    }

    /** A cursor query parameter, or null if absent. */
    private static Long cursor(Call call, String name) {
        return call.query(name) == null ? null : call.queryLong(name, 0);
    }

    private int limit(Call call) {
        return call.queryInt(
                "limit", messages.policy().defaultLimit(), 1, messages.policy().maxLimit());
    }

    /** {@code wait} in seconds, e.g. {@code 25} or {@code 0.5}; absent means do not wait. */
    static Duration wait(Call call) {
        String v = call.query("wait");
        if (v == null) {
            return Duration.ZERO;
        }
        try {
            BigDecimal seconds = new BigDecimal(v.strip());
            if (seconds.scale() > 18 || seconds.precision() - seconds.scale() > 18) {
                // Scaling 1e9999999 or 1e-9999999 to milliseconds would keep a CPU busy for minutes.
                throw new NumberFormatException("too many digits");
            }
            BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING);
            return Duration.ofMillis(millis.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new HubException.InvalidRequest(
                    "Query parameter wait must be a number of seconds, e.g. 25 or 0.5; got '" + v + "'.",
                    Map.of("field", "wait"));
        }
    }
}
