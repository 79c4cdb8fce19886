package io.agenthub.bench;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * What one request got: an HTTP status and body, or ({@code status == 0}) a transport failure such as a refused
 * connection or a timeout, described in {@code failure}.
 */
record Response(int status, byte[] body, String failure) {
    static Response failed(String failure) {
        return new Response(0, new byte[0], failure);
    }

    boolean is(int expected) {
        return status == expected;
    }

    /** The body as JSON; a missing node when it is empty or not JSON. */
    JsonNode json() {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return HubHttp.JSON.readTree(body);
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }

    /** The problem code of an error reply ({@code lease_held}, {@code no_route}), or empty. */
    String problemCode() {
        return json().path("code").asString("");
    }

    /**
     * A transport failure for error counts: the exception's class and message, with numbers (ports, sizes) replaced
     * by {@code #} so that failures of one kind count together.
     */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\d+", "#");
        if (message.length() > 80) {
            message = message.substring(0, 80) + "...";
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** A short, bounded description for error counts: {@code HTTP 404 no_route}, or the transport failure. */
    String describe() {
        if (status == 0) {
            return failure;
        }
        String code = problemCode();
        return "HTTP " + status + (code.isEmpty() ? "" : " " + code);
    }
}
