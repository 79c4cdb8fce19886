package io.agenthub.server.services;

import io.agenthub.agent.Waker;
import io.agenthub.server.config.Version;
import io.agenthub.server.wire.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a stalled agent by POSTing {@code {"agentId", "reason", "at"}} as JSON to the URL of its {@code wake-url}
 * label, if its host is allowed by {@code wake-allowed-hosts} ({@link WakeHosts}, checked at each wake-up after DNS
 * resolution). Asynchronous with a timeout: the stall detector never waits for an agent's endpoint, and a failure is
 * logged.
 */
final class HttpWaker implements Waker {
    private static final Logger LOG = LoggerFactory.getLogger(HttpWaker.class);

    private final HttpClient http;
    private final Duration timeout;
    private final InstantSource clock;
    private final WakeHosts allowed;

    HttpWaker(Duration timeout, InstantSource clock, WakeHosts allowed) {
        // Redirects are not followed (the client's default): a redirect could lead off the allow-list.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.clock = clock;
        this.allowed = allowed;
    }

    @Override
    public void wake(String agentId, URI url, String reason) {
        // Resolving the host may block; the stall detector must not wait for it.
        Thread.ofVirtual().name("wake-" + agentId).start(() -> send(agentId, url, reason));
    }

    /** Checks the host against the allow-list after resolving it, then POSTs. */
    void send(String agentId, URI url, String reason) {
        String refusal = allowed.refusal(url);
        if (refusal != null) {
            LOG.warn("not waking {} at {}: {}", agentId, url, refusal);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("reason", reason);
        body.put("at", clock.instant().toString());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "agent-hub/" + Version.CURRENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.MAPPER.writeValueAsBytes(body)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null) {
                LOG.warn("waking {} at {} failed: {}", agentId, url, error.toString());
            } else if (response.statusCode() >= 300) {
                LOG.warn("waking {} at {} answered HTTP {}", agentId, url, response.statusCode());
            } else {
                LOG.info("woke {} at {}", agentId, url);
            }
        });
    }
}
