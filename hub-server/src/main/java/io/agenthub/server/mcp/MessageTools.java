package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.NUMBER;
import static io.agenthub.server.mcp.Params.Type.STRING;

import io.agenthub.auth.Principal;
import io.agenthub.message.Message;
import io.agenthub.message.MessageService;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;

/** Group chat, direct messages and the inbox: the same {@link MessageService} as {@code /api/chat} and friends. */
final class MessageTools {
    private static final String LIMIT = "Most messages to return; default 50";
    private static final String WAIT = "Seconds to wait for a new message if there is none yet (long-poll); default 0";

    private final MessageService messages;

    MessageTools(MessageService messages) {
        this.messages = messages;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                        "chat_send",
                        "Post to chat",
                        "Post to a group chat channel (default general). Mention agents as @id to put the message in"
                                + " their inbox.",
                        Params.of()
                                .required("text", STRING, "The message")
                                .optional("channel", STRING, "Channel name; default general")
                                .optional("replyTo", STRING, "Id of the message you answer, e.g. m42"),
                        Shapes.object(Shapes.MESSAGE),
                        (caller, a) -> {
                            Message m = messages.post(caller, channel(a), a.string("text"), a.string("replyTo"));
                            return Results.ok("Posted " + m.id() + " to #" + m.channel() + ".", m);
                        }),
                HubTool.read(
                        "chat_read",
                        "Read chat",
                        "Read a chat channel. Without 'after' returns the latest messages (oldest first); pass the"
                                + " returned nextCursor as 'after' to get only newer ones, or prevCursor as 'before'"
                                + " to get older ones.",
                        Params.of()
                                .optional("channel", STRING, "Channel name; default general")
                                .optional("after", INTEGER, "Cursor from a previous read: newer messages")
                                .optional("before", INTEGER, "prevCursor from a previous read: older messages")
                                .optional("limit", INTEGER, LIMIT)
                                .optional("wait", NUMBER, WAIT),
                        Shapes.PAGE,
                        (caller, a) -> page(chat(a), "in #" + channel(a))),
                HubTool.write(
                        "dm_send",
                        "Send a direct message",
                        "Send a direct message to one agent's inbox.",
                        Params.of()
                                .required("to", STRING, "Recipient agent id")
                                .required("text", STRING, "The message"),
                        Shapes.object(Shapes.MESSAGE),
                        (caller, a) -> {
                            Message m = messages.dm(caller, a.string("to"), a.string("text"));
                            return Results.ok("Sent " + m.id() + " to " + m.to() + ".", m);
                        }),
                // Not read-only: passing 'after' moves the caller's acknowledgement cursor.
                HubTool.write(
                                "inbox_read",
                                "Read your inbox",
                                "Read your inbox: direct messages, hub notices and chat mentions of you. Without 'after'"
                                        + " returns what you have not acknowledged yet. Passing 'after' acknowledges"
                                        + " everything up to it, so pass the nextCursor of your last read once you have"
                                        + " handled those messages.",
                                Params.of()
                                        .optional(
                                                "after", INTEGER, "Cursor from a previous read; acknowledges up to it")
                                        .optional("limit", INTEGER, LIMIT)
                                        .optional("wait", NUMBER, WAIT),
                                Shapes.PAGE,
                                (caller, a) -> page(inbox(caller, a), "in your inbox"))
                        .asIdempotent());
    }

    private MessageService.Page chat(Args a) {
        return messages.readChat(a.string("channel"), a.integer("after"), a.integer("before"), limit(a), wait(a));
    }

    private MessageService.Page inbox(Principal caller, Args a) {
        return messages.readInbox(caller, a.integer("after"), limit(a), wait(a));
    }

    private static McpSchema.CallToolResult page(MessageService.Page page, String where) {
        List<Message> found = page.messages();
        String heading =
                found.isEmpty() ? "No new messages " + where + "." : found.size() + " message(s) " + where + ":";
        String back = page.prevCursor() == null ? "" : "\nprevCursor: " + page.prevCursor();
        return Results.ok(
                Lines.list(heading, found, Lines::message) + "\nnextCursor: " + page.nextCursor() + back, page);
    }

    private int limit(Args a) {
        Integer limit = a.smallInteger("limit");
        return limit == null ? messages.policy().defaultLimit() : limit;
    }

    private static String channel(Args a) {
        String channel = a.string("channel");
        return channel == null ? MessageService.GENERAL : channel;
    }

    private static Duration wait(Args a) {
        Double seconds = a.number("wait");
        return seconds == null ? Duration.ZERO : Duration.ofMillis((long) Math.ceil(seconds * 1000));
    }
}
