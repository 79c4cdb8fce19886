package io.agenthub.server.http;

import java.util.Map;

/** A handler's answer: status, a body to render as JSON (or a String rendered as given), and extra headers. */
public record Reply(int status, Object body, String contentType, Map<String, String> headers) {
    public static Reply ok(Object body) {
        return new Reply(200, body, "application/json", Map.of());
    }

    public static Reply created(Object body) {
        return new Reply(201, body, "application/json", Map.of());
    }

    public static Reply text(String contentType, String body) {
        return new Reply(200, body, contentType, Map.of());
    }

    /** The handler wrote the response itself (for streams). */
    public static final Reply STREAMED = new Reply(0, null, null, Map.of());
}
