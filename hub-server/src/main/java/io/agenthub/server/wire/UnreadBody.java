package io.agenthub.server.wire;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What is left of a request body nobody read, dealt with before the reply is written. A request refused before its
 * handler reads the body (a bad token, a throttle, an unknown route) may have its body still on the way; if the server
 * left it unread, it would close the connection after a reply that did not say so, and the client's next request on
 * that connection would fail.
 */
public final class UnreadBody {
    private UnreadBody() {}

    /**
     * Reads and drops the rest of the body, up to {@code limit} bytes, so that the connection can carry the next
     * request; for a longer body (or one that cannot be read) it reads nothing more and marks the reply {@code
     * Connection: close}. Call before the reply is committed.
     */
    public static void settle(HttpServletRequest req, HttpServletResponse resp, long limit) {
        try {
            if (req.getContentLengthLong() == 0) {
                return;
            }
            ServletInputStream in = req.getInputStream();
            if (in.isFinished()) {
                return;
            }
            long left = req.getContentLengthLong() > limit ? 0 : limit + 1;
            byte[] buffer = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
            if (left <= 0) {
                resp.setHeader("Connection", "close");
            }
        } catch (IOException | IllegalStateException e) {
            resp.setHeader("Connection", "close");
        }
    }
}
