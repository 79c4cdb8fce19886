package io.agenthub.server.mcp;

import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * DNS-rebinding protection for {@code /mcp}: the {@code Host} header must be on an allow-list, and so must the
 * {@code Origin} header when a browser sends one. The check is the MCP SDK's {@link
 * DefaultServerTransportSecurityValidator}. An empty list means loopback at the hub's bound port (known only once it
 * listens, so the lists are computed on first use); {@code *} means any.
 */
public final class OriginGuard {
    private final String origins;
    private final String hosts;
    private final IntSupplier port;
    private volatile Lists lists;
    private volatile DefaultServerTransportSecurityValidator validator;

    /** The effective allow-lists; {@code null} means any. */
    public record Lists(List<String> origins, List<String> hosts) {}

    /**
     * @param origins comma-separated origins such as {@code http://127.0.0.1:7700} or {@code https://app.example:*};
     *     empty for loopback; {@code *} for any
     * @param hosts comma-separated host headers such as {@code hub.internal:7700}; empty for loopback; {@code *} for
     *     any
     * @param port the hub's bound port, asked for on first use
     */
    public OriginGuard(String origins, String hosts, IntSupplier port) {
        this.origins = origins.strip();
        this.hosts = hosts.strip();
        this.port = port;
    }

    /** The allow-lists in force. */
    public Lists lists() {
        Lists l = lists;
        if (l == null) {
            int p = port.getAsInt();
            List<String> loopback = List.of("127.0.0.1:" + p, "localhost:" + p, "[::1]:" + p);
            l = new Lists(
                    parse(
                            origins,
                            loopback.stream()
                                    .flatMap(h -> java.util.stream.Stream.of("http://" + h, "https://" + h))
                                    .toList()),
                    parse(hosts, loopback));
            DefaultServerTransportSecurityValidator.Builder b = DefaultServerTransportSecurityValidator.builder();
            if (l.origins() != null) {
                b.allowedOrigins(l.origins());
            }
            if (l.hosts() != null) {
                b.allowedHosts(l.hosts());
            }
            validator = b.build();
            lists = l;
        }
        return l;
    }

    /** A refused request: the HTTP status (403 for the origin, 421 for the host) and a sentence saying what to do. */
    record Refusal(int status, String code, String detail) {}

    /** Null if the request may proceed, else why not. */
    Refusal check(String origin, String host) {
        Lists l = lists();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (host != null) {
            headers.put("Host", List.of(host));
        }
        if (origin != null && l.origins() != null) {
            headers.put("Origin", List.of(origin));
        }
        try {
            validator.validateHeaders(headers);
            return null;
        } catch (ServerTransportSecurityException e) {
            if (e.getStatusCode() == 403) {
                return new Refusal(
                        403,
                        "origin_not_allowed",
                        "Origin " + origin + " may not call /mcp. If a browser page there should reach the hub, add"
                                + " it to mcp-allowed-origins (HUB_MCP_ALLOWED_ORIGINS).");
            }
            return new Refusal(
                    421,
                    "host_not_allowed",
                    "Host " + host + " is not an allowed name for this hub's /mcp (DNS-rebinding protection). Connect"
                            + " to " + l.hosts().getFirst() + ", or add the name to mcp-allowed-hosts"
                            + " (HUB_MCP_ALLOWED_HOSTS).");
        }
    }

    private static List<String> parse(String value, List<String> loopback) {
        if (value.equals("*")) {
            return null;
        }
        if (value.isEmpty()) {
            return loopback;
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
