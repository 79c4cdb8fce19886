package io.agenthub.server.ops;

import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertNotifier;
import io.agenthub.alert.AlertRule;
import io.agenthub.alert.ChatNotifier;
import io.agenthub.server.wire.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to webhooks: a generic JSON body, or a Slack-compatible one ({@code {"text": ...}}) for URLs given
 * as {@code slack:https://...}. Each webhook has its own queue and one virtual thread that delivers in order, retrying
 * a failed delivery (network error or non-2xx answer) with exponential backoff up to the configured number of
 * attempts. The engine hands each firing and resolution over once, so nothing is sent twice on purpose; a retry after
 * a lost answer can duplicate, and receivers may drop duplicates by {@code id}.
 */
public final class WebhookNotifier implements AlertNotifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final int QUEUE = 1000;

    private final List<Target> targets = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int attempts;
    private final Duration backoff;
    private final String hub;

    /** Delivery statistics of one webhook, for {@code GET /api/alerts}. */
    public record Stats(String url, String format, long delivered, long failed, long retries, String lastError) {}

    private final class Target {
        final URI uri;
        final boolean slack;
        final LinkedBlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>(QUEUE);
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        volatile String lastError = "";
        final Thread worker;

        Target(URI uri, boolean slack) {
            this.uri = uri;
            this.slack = slack;
            this.worker = Thread.ofVirtual().name("webhook-" + uri.getHost()).start(this::loop);
        }

        void loop() {
            try {
                while (true) {
                    deliver(queue.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void deliver(Map<String, Object> body) throws InterruptedException {
            byte[] bytes = JsonCodec.MAPPER.writeValueAsBytes(body);
            Duration wait = backoff;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                String error;
                try {
                    HttpResponse<Void> r = http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .header("User-Agent", "agent-hub")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 == 2) {
                        delivered.incrementAndGet();
                        return;
                    }
                    error = "HTTP " + r.statusCode();
                } catch (java.io.IOException e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                lastError = error;
                if (attempt < attempts) {
                    retries.incrementAndGet();
                    Thread.sleep(wait.toMillis());
                    wait = wait.multipliedBy(2);
                } else {
                    failed.incrementAndGet();
                    LOG.warn("Alert webhook {} failed {} times; last error {}", masked(), attempts, error);
                }
            }
        }

        String masked() {
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/…";
        }
    }

    /**
     * @param urls webhook URLs, each optionally prefixed with {@code slack:}
     * @param hub how the hub names itself in messages (its URL)
     */
    public WebhookNotifier(List<String> urls, int attempts, Duration backoff, String hub) {
        this.attempts = attempts;
        this.backoff = backoff;
        this.hub = hub;
        for (String u : urls) {
            boolean slack = u.startsWith("slack:");
            targets.add(new Target(URI.create(slack ? u.substring("slack:".length()) : u), slack));
        }
    }

    @Override
    public void deliver(AlertEvent event, AlertRule rule) {
        for (Target t : targets) {
            Map<String, Object> body = t.slack ? slack(event, rule) : generic(event, rule, hub);
            if (!t.queue.offer(body)) {
                t.queue.poll();
                t.queue.offer(body);
                LOG.warn("Alert webhook {} is backed up; dropped its oldest pending alert.", t.masked());
            }
        }
    }

    /** The generic JSON body. */
    public static Map<String, Object> generic(AlertEvent e, AlertRule rule, String hub) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", 1);
        body.put("source", "agent-hub");
        body.put("hub", hub);
        body.put("id", e.rule() + "-" + e.seq());
        body.put("alert", e.rule());
        body.put("status", e.kind() == AlertEvent.Kind.FIRING ? "firing" : "resolved");
        body.put("severity", e.severity().name().toLowerCase());
        body.put("summary", e.summary());
        body.put("value", e.value());
        body.put("condition", rule.condition());
        body.put("description", rule.description());
        body.put("raisesTier", rule.raises() == null ? null : rule.raises().number());
        body.put("startsAt", e.startedAt().toString());
        body.put("at", e.at().toString());
        return body;
    }

    /** A Slack incoming-webhook body. */
    public static Map<String, Object> slack(AlertEvent e, AlertRule rule) {
        return Map.of(
                "text",
                (e.kind() == AlertEvent.Kind.FIRING ? ":rotating_light: " : ":white_check_mark: ")
                        + ChatNotifier.text(e, rule));
    }

    public List<Stats> stats() {
        return targets.stream()
                .map(t -> new Stats(
                        t.masked(),
                        t.slack ? "slack" : "generic",
                        t.delivered.get(),
                        t.failed.get(),
                        t.retries.get(),
                        t.lastError))
                .toList();
    }

    @Override
    public void close() {
        targets.forEach(t -> t.worker.interrupt());
    }
}
