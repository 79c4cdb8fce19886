package io.agenthub.server.mcp;

import io.agenthub.server.wire.JsonCodec;
import io.agenthub.server.wire.Problems;
import io.agenthub.server.wire.UnreadBody;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Stands between the authenticated request and the MCP SDK's transport, so that no input reaches a 5xx and no
 * response carries a stack trace:
 *
 * <ul>
 *   <li>the body is read here, bounded, in its declared charset (an unknown charset is a 415 problem), and must be one
 *       well-formed JSON-RPC message ({@link McpMessageCheck}); otherwise the answer is a JSON-RPC error;
 *   <li>the SDK writes its own refusals by serialising its exception object, stack trace included; such a reply (any
 *       status of 400 or more) is rewritten to a plain JSON-RPC error with the same code and sentence, and a 5xx one
 *       to a sentence with an error id, the original logged once.
 * </ul>
 */
final class McpInputFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(McpInputFilter.class);

    private static final java.util.Set<String> KNOWN_METHODS =
            java.util.Set.of("POST", "GET", "DELETE", "HEAD", "OPTIONS");

    private final long maxBodyBytes;

    McpInputFilter(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        CleanErrors clean = new CleanErrors(resp);
        try {
            if (!KNOWN_METHODS.contains(req.getMethod())) {
                // The servlet would answer an unknown method with 501; it is the client's mistake, not the hub's.
                UnreadBody.settle(req, resp, maxBodyBytes);
                resp.setHeader("Allow", "POST");
                writeProblem(
                        resp,
                        Problems.of(
                                405,
                                "method_not_allowed",
                                "Send JSON-RPC messages to /mcp with POST.",
                                req.getRequestURI()));
                return;
            } else if (!"POST".equals(req.getMethod())) {
                chain.doFilter(req, clean);
            } else {
                Checked checked = check(req, resp);
                if (checked == null) {
                    return;
                }
                chain.doFilter(checked, clean);
            }
        } catch (IOException | ServletException | RuntimeException e) {
            String errorId = UUID.randomUUID().toString();
            LOG.error("MCP request failed (error id {})", errorId, e);
            if (!resp.isCommitted()) {
                resp.reset();
                writeRpcError(resp, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, unexpected(errorId), null);
            }
            return;
        }
        clean.finish();
    }

    /** The request with its body already read and checked, or null when a refusal has been written. */
    private Checked check(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        Charset charset;
        try {
            String declared = req.getCharacterEncoding();
            charset = declared == null ? StandardCharsets.UTF_8 : Charset.forName(declared.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            UnreadBody.settle(req, resp, maxBodyBytes);
            writeProblem(
                    resp,
                    Problems.of(
                            415,
                            "unsupported_charset",
                            "The charset '" + req.getCharacterEncoding() + "' is not supported; send the body as"
                                    + " JSON in UTF-8 (Content-Type: application/json).",
                            path));
            return null;
        }
        long declaredLength = req.getContentLengthLong();
        byte[] bytes;
        try {
            bytes = declaredLength > maxBodyBytes ? null : read(req.getInputStream());
        } catch (IOException e) {
            // The body ended before its declared length, or its chunks are broken: the client's mistake, as on /api.
            resp.setHeader("Connection", "close");
            writeProblem(
                    resp,
                    Problems.of(
                            400,
                            "unreadable_body",
                            "Could not read the request body (it ended early or its chunked encoding is broken);"
                                    + " send the whole JSON-RPC message with a correct Content-Length.",
                            path));
            return null;
        }
        if (bytes == null || bytes.length > maxBodyBytes) {
            UnreadBody.settle(req, resp, maxBodyBytes);
            writeProblem(
                    resp, Problems.of(413, "too_large", "The request body exceeds " + maxBodyBytes + " bytes.", path));
            return null;
        }
        String text = new String(bytes, charset);
        JsonNode message;
        try {
            message = JsonCodec.MAPPER.readTree(text);
        } catch (JacksonException e) {
            writeRpcError(
                    resp,
                    400,
                    McpSchema.ErrorCodes.PARSE_ERROR,
                    "The body is not valid JSON: " + JsonCodec.clientMessage(e),
                    null);
            return null;
        }
        McpMessageCheck.Refusal refusal = McpMessageCheck.check(message);
        if (refusal != null) {
            // A request with a usable id gets its error as the answer to that request, as the SDK answers an unknown
            // method; anything else is not a request at all.
            int status = refusal.id() != null && refusal.code() == McpSchema.ErrorCodes.INVALID_PARAMS ? 200 : 400;
            writeRpcError(resp, status, refusal.code(), refusal.message(), refusal.id());
            return null;
        }
        return new Checked(req, text.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] read(InputStream in) throws IOException {
        return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    }

    private static String unexpected(String errorId) {
        return "The hub failed unexpectedly. Report error id " + errorId + " to an operator.";
    }

    static void writeRpcError(HttpServletResponse resp, int status, int code, String message, JsonNode id)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        write(resp, status, "application/json", JsonCodec.MAPPER.writeValueAsBytes(body));
    }

    private static void writeProblem(HttpServletResponse resp, Problems.Problem p) throws IOException {
        p.headers().forEach(resp::setHeader);
        write(resp, p.status(), "application/problem+json", JsonCodec.MAPPER.writeValueAsBytes(p.body()));
    }

    private static void write(HttpServletResponse resp, int status, String type, byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(body);
        }
    }

    /** The request as the SDK reads it: the checked body, in UTF-8, whatever charset it came in. */
    private static final class Checked extends HttpServletRequestWrapper {
        private final byte[] body;

        Checked(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("The checked MCP body is read synchronously.");
                }
            };
        }
    }

    /**
     * Holds back what the SDK writes once it has chosen a status of 400 or more, and rewrites it in {@link #finish}:
     * the SDK serialises its exception object (stack trace, cause) as the body of such replies.
     */
    private static final class CleanErrors extends HttpServletResponseWrapper {
        private final HttpServletResponse response;
        private int status = 200;
        private ByteArrayOutputStream held;
        private PrintWriter writer;

        CleanErrors(HttpServletResponse response) {
            super(response);
            this.response = response;
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
            super.setStatus(sc);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (status < 400) {
                return super.getOutputStream();
            }
            ByteArrayOutputStream buffer = held();
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new IllegalStateException("MCP error replies are written synchronously.");
                }
            };
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (status < 400) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(held(), StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public void setContentLength(int len) {
            if (status < 400) {
                super.setContentLength(len);
            }
        }

        @Override
        public void setContentLengthLong(long len) {
            if (status < 400) {
                super.setContentLengthLong(len);
            }
        }

        private ByteArrayOutputStream held() {
            if (held == null) {
                held = new ByteArrayOutputStream();
            }
            return held;
        }

        /** Writes the held error reply as a plain JSON-RPC error. */
        void finish() throws IOException {
            if (held == null) {
                return;
            }
            if (writer != null) {
                writer.flush();
            }
            String original = held.toString(StandardCharsets.UTF_8);
            int code = McpSchema.ErrorCodes.INVALID_REQUEST;
            String message = null;
            try {
                JsonNode error = JsonCodec.MAPPER.readTree(original).path("jsonRpcError");
                if (error.path("code").isIntegralNumber()) {
                    code = error.path("code").asInt();
                }
                if (error.path("message").isString()) {
                    message = error.path("message").asString();
                }
            } catch (JacksonException | IllegalArgumentException e) {
                // Not the SDK's error object: the sentence below stands in for it.
            }
            if (status < 500 && message == null) {
                message = "The MCP request was refused (HTTP " + status + "); check the body and headers.";
            } else if (status >= 500) {
                String errorId = UUID.randomUUID().toString();
                LOG.error("MCP transport answered {} (error id {}): {}", status, errorId, original);
                message = unexpected(errorId);
                code = McpSchema.ErrorCodes.INTERNAL_ERROR;
            }
            if (response.isCommitted()) {
                return;
            }
            response.resetBuffer();
            writeRpcError(response, status, code, message, null);
        }
    }
}
