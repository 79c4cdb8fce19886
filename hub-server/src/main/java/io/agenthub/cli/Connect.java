package io.agenthub.cli;

import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import java.time.Duration;

/** The CLI's way to the hub: the public Java client, trusting what {@code --ca-file} set, and its failures in words. */
final class Connect {
    /** The hub URL of the last client made: a command talks to one hub, and its failure names it. */
    private static volatile String lastUrl = "";

    private Connect() {}

    /** A client for {@code url} (a trailing slash is fine) with {@code token} (null or blank: none). */
    static HubClient to(String url, String token) {
        return to(url, token, Duration.ofSeconds(30));
    }

    static HubClient to(String url, String token, Duration requestTimeout) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        lastUrl = base;
        return HubClient.builder()
                .urls(base)
                .token(token == null || token.isBlank() ? null : token.strip())
                .requestTimeout(requestTimeout)
                .httpClient(ClientTls.builder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                        .build())
                .build();
    }

    /**
     * A refusal as {@code HTTP <status>: <the hub's sentence>}; no answer as where the hub was looked for and what went
     * wrong, with what to do.
     */
    static String message(HubProblem p) {
        if (p instanceof HubProblem.Unreachable) {
            return "cannot reach the hub at " + lastUrl + ": " + why(p.getCause() == null ? p : p.getCause())
                    + "; is it running? Start it with ./hub serve, or point --url / HUB_URL at it.";
        }
        return "HTTP " + p.status() + ": " + p.getMessage();
    }

    /** What went wrong with a connection, in words: the JDK's exceptions often carry no message. */
    static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            switch (t) {
                case java.net.ConnectException c -> {
                    return "connection refused";
                }
                case java.net.http.HttpConnectTimeoutException c -> {
                    return "no connection in time";
                }
                case java.net.http.HttpTimeoutException c -> {
                    return "no answer in time";
                }
                case java.net.SocketTimeoutException c -> {
                    return "no answer in time";
                }
                case java.net.UnknownHostException u -> {
                    return "unknown host " + u.getMessage();
                }
                default -> {}
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
