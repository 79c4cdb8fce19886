package io.agenthub.server.http;

import io.agenthub.server.wire.JsonCodec;
import io.agenthub.server.wire.Problems;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors that Jetty raises itself, before a request reaches the router or the MCP endpoint (an empty path
 * segment such as {@code /api/handoffs//accept}, a bad %-escape, a request line or headers too long, a path outside
 * every servlet), as RFC 9457 problem+json like every other error of the hub, instead of Jetty's HTML page. No stack
 * trace and no exception text beyond Jetty's one-line reason reach the reply.
 */
public final class ProtocolErrors extends ErrorHandler {
    private static final String TYPE = "application/problem+json";
    private static final int MAX_REASON = 200;

    @Override
    public boolean errorPageForMethod(String method) {
        // Every method gets the problem body; Jetty's default writes one only for GET, POST and HEAD.
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        if (status == 505) {
            // An unknown HTTP version is the client's mistake: a 4xx, so that no input makes the hub answer 5xx.
            status = 400;
            response.setStatus(400);
            message = "unsupported HTTP version; send HTTP/1.1 or HTTP/2";
        }
        byte[] body = render(status, message, path(request));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Requests that Jetty cannot even parse (e.g. headers too large) are answered from here. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(render(status, reason, null));
    }

    /** The problem document for an error Jetty raised: a stable code and a sentence that says what to do. */
    static byte[] render(int status, String reason, String path) {
        String why = reason == null || reason.isBlank()
                ? ""
                : " (" + (reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason) + ")";
        Problems.Problem p = switch (status) {
            case 400 ->
                Problems.of(
                        400,
                        "bad_request",
                        "The request is malformed" + why + ": check the URL (no empty segments such as //, no ."
                                + " or .. segments, valid %-escapes), the method and the headers.",
                        path);
            case 404 -> Problems.of(404, "no_route", "No route " + path + ". See the README for the API.", path);
            case 405 -> Problems.of(405, "method_not_allowed", "The method is not allowed here" + why + ".", path);
            case 413 ->
                Problems.of(413, "too_large", "The request is too large" + why + "; send a smaller body.", path);
            case 414 ->
                Problems.of(
                        414,
                        "uri_too_long",
                        "The request URI is too long; send long values in a JSON body instead of the URL.",
                        path);
            case 431 ->
                Problems.of(
                        431,
                        "headers_too_large",
                        "The request headers are too large; send fewer or shorter headers.",
                        path);
            default ->
                status >= 500
                        ? Problems.of(
                                status,
                                "internal_error",
                                "The hub could not handle this request" + why + "; retry, and report it if it"
                                        + " persists.",
                                path)
                        : Problems.of(status, "http_" + status, "HTTP " + status + why + ".", path);
        };
        return JsonCodec.MAPPER.writeValueAsBytes(p.body());
    }

    private static String path(Request request) {
        try {
            HttpURI uri = request.getHttpURI();
            // Jetty names a request it could not parse "/badMessage"; that is no path the client sent.
            return uri == null || "/badMessage".equals(uri.getPath()) ? null : uri.getPath();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
