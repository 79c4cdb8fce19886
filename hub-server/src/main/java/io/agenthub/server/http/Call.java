package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.server.wire.JsonCodec;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.MultiMap;
import org.eclipse.jetty.util.UrlEncoded;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/** One HTTP request as a route sees it: the authenticated principal, path parameters, query and JSON body. */
public final class Call {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Principal principal;
    private final Map<String, String> pathParams;
    private final long maxBodyBytes;
    private MultiMap<String> query;
    private boolean bodyConsumed;

    Call(
            HttpServletRequest request,
            HttpServletResponse response,
            Principal principal,
            Map<String, String> pathParams,
            long maxBodyBytes) {
        this.request = request;
        this.response = response;
        this.principal = principal;
        this.pathParams = pathParams;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The caller; {@code null} only on public routes. */
    public Principal principal() {
        return principal;
    }

    private MultiMap<String> query() {
        if (query == null) {
            query = query(request);
        }
        return query;
    }

    /**
     * The query string's parameters. Only the query: the API takes JSON bodies, so a form body is never read as
     * parameters (and {@code getParameter} would inspect the body of every POST to find out).
     */
    static MultiMap<String> query(HttpServletRequest request) {
        MultiMap<String> params = new MultiMap<>();
        String q = request.getQueryString();
        if (q != null && !q.isEmpty()) {
            try {
                UrlEncoded.decodeUtf8To(q, params);
            } catch (IllegalArgumentException e) {
                throw new HubException.InvalidRequest("The query string is not valid URL encoding: " + e.getMessage());
            }
        }
        return params;
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or null. */
    public String query(String name) {
        String v = query().getValue(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** Every value of a repeated query parameter, also accepting comma-separated lists. */
    public List<String> queryAll(String name) {
        List<String> values = query().getValues(name);
        if (values == null) {
            return List.of();
        }
        return values.stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    public long queryLong(String name, long fallback) {
        String v = query(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new HubException.InvalidRequest(
                    "Query parameter " + name + " must be a whole number; got '" + v + "'.", Map.of("field", name));
        }
    }

    /**
     * A whole-number query parameter that must lie in {@code [min, max]}; {@code fallback} when absent. A value outside
     * the range, however large, is a 400 naming the parameter and its range: numbers are never narrowed (a narrowing
     * cast once turned {@code limit=4294967297} into 1).
     */
    public int queryInt(String name, int fallback, int min, int max) {
        Integer value = queryInt(name, min, max);
        return value == null ? fallback : value;
    }

    /** Like {@link #queryInt(String, int, int, int)}, or null when the parameter is absent. */
    public Integer queryInt(String name, int min, int max) {
        if (query(name) == null) {
            return null;
        }
        String v = query(name).strip();
        long value;
        try {
            value = Long.parseLong(v);
        } catch (NumberFormatException e) {
            // Digits beyond a long are out of range, not malformed.
            value = v.matches("-?\\d+") ? (v.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : fail(name, v);
        }
        if (value < min || value > max) {
            throw new HubException.InvalidRequest(
                    "Query parameter " + name + " must be between " + min + " and " + max + "; got '" + shortText(v)
                            + "'.",
                    Map.of("field", name, "min", min, "max", max));
        }
        return (int) value;
    }

    private static long fail(String name, String v) {
        throw new HubException.InvalidRequest(
                "Query parameter " + name + " must be a whole number; got '" + shortText(v) + "'.",
                Map.of("field", name));
    }

    private static String shortText(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }

    public String header(String name) {
        return request.getHeader(name);
    }

    /** Parses the JSON body into {@code type}; 400 for malformed JSON or wrong types, 413 when too large. */
    public <T> T body(Class<T> type) {
        return parse(rawBody(), type);
    }

    /** Like {@link #body}, for calls whose body may be left out: an empty body gives {@code empty}. */
    public <T> T bodyOr(Class<T> type, T empty) {
        byte[] bytes = rawBody();
        return bytes.length == 0 ? empty : parse(bytes, type);
    }

    private <T> T parse(byte[] bytes, Class<T> type) {
        if (bytes.length == 0) {
            throw new HubException.InvalidRequest("This call needs a JSON body.");
        }
        try {
            T value = JsonCodec.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new HubException.InvalidRequest("The JSON body must be an object, not null.");
            }
            return value;
        } catch (InvalidFormatException e) {
            throw new HubException.InvalidRequest(
                    "Field " + fieldPath(e) + " has the wrong type or value: " + shortValue(e.getValue()) + ".",
                    Map.of("field", fieldPath(e)));
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            throw new HubException.InvalidRequest(
                    field.isEmpty()
                            ? "The JSON body must be an object with the documented fields."
                            : "Field " + field + " has the wrong type.",
                    Map.of("field", field));
        } catch (JacksonException e) {
            throw new HubException.InvalidRequest("The body is not valid JSON: " + JsonCodec.clientMessage(e));
        }
    }

    private byte[] rawBody() {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            // With a declared length, read exactly that; chunked bodies are read up to the limit plus one byte.
            byte[] bytes = declared >= 0 ? in.readNBytes((int) declared) : in.readNBytes((int) maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            // Every byte declared, or a chunked body read to its end: nothing is left for the router to settle.
            bodyConsumed = declared < 0 || bytes.length == declared;
            return bytes;
        } catch (IOException e) {
            throw new HubException.InvalidRequest("Could not read the request body: " + e.getMessage());
        }
    }

    private HubException tooLarge() {
        return new HubException.TooLarge(
                "The request body exceeds " + maxBodyBytes + " bytes.", Map.of("limit", maxBodyBytes));
    }

    private static String fieldPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                .orElse("");
    }

    private static String shortValue(Object v) {
        String s = String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "..." : "'" + s + "'";
    }

    /**
     * True once the handler has read the whole body, so that nothing of it is left on the connection; the router then
     * skips settling it (at the end of a body read by its declared length, Jetty's input is not marked finished until
     * one more blocking read, which cost a tenth of the hub's CPU per lease pair).
     */
    boolean bodyConsumed() {
        return bodyConsumed;
    }

    /** The raw request, for streaming routes. */
    public HttpServletRequest request() {
        return request;
    }

    /** The raw response, for streaming routes. */
    public HttpServletResponse response() {
        return response;
    }
}
