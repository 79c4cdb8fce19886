package io.agenthub.server.wire;

import io.agenthub.error.HubException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders {@link HubException}s as RFC 9457 problem details. The one place HTTP statuses are chosen for errors. */
public final class Problems {
    private Problems() {}

    /** A rendered problem: status, body, and headers such as Retry-After. */
    public record Problem(int status, Map<String, Object> body, Map<String, String> headers) {}

    public static Problem of(HubException e, String instance) {
        int status = switch (e) {
            case HubException.InvalidRequest x -> 400;
            case HubException.Unauthenticated x -> 401;
            case HubException.Forbidden x -> 403;
            case HubException.NotFound x -> 404;
            case HubException.Conflict x -> 409;
            case HubException.TooLarge x -> 413;
            case HubException.RateLimited x -> 429;
            case HubException.Unavailable x -> 503;
        };
        Map<String, String> headers = new LinkedHashMap<>();
        switch (e) {
            case HubException.RateLimited r ->
                headers.put("Retry-After", seconds(r.retryAfter().toSeconds()));
            case HubException.Unavailable u ->
                headers.put("Retry-After", seconds(u.retryAfter().toSeconds()));
            case HubException.Unauthenticated u -> headers.put("WWW-Authenticate", "Bearer realm=\"agent-hub\"");
            default -> {}
        }
        return new Problem(
                status, body(status, e.code(), title(status), e.getMessage(), instance, e.details()), headers);
    }

    /** A problem not raised by a service, e.g. an unknown route. */
    public static Problem of(int status, String code, String detail, String instance) {
        return new Problem(status, body(status, code, title(status), detail, instance, Map.of()), Map.of());
    }

    private static Map<String, Object> body(
            int status, String code, String title, String detail, String instance, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:agent-hub:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        body.put("code", code);
        details.forEach(body::putIfAbsent);
        return body;
    }

    private static String seconds(long s) {
        return Long.toString(Math.max(1, s));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 414 -> "URI Too Long";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
