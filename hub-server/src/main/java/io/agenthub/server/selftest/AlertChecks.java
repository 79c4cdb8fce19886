package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.require;
import static io.agenthub.server.selftest.OpsTraffic.firing;
import static io.agenthub.server.selftest.OpsTraffic.reporters;
import static io.agenthub.server.selftest.OpsTraffic.traffic;

import com.sun.net.httpserver.HttpServer;
import io.agenthub.agent.AgentStatus;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertRule;
import io.agenthub.auth.Principal;
import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.ops.WebhookNotifier;
import io.agenthub.tier.Tier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Alert rules (fire, hold, resolve) and their delivery to chat and webhooks. */
final class AlertChecks {
    private AlertChecks() {}

    static List<Check> all() {
        return List.of(
                of("alert-all-agents-down", "alerts", "AllAgentsDown fires once, then resolves", s -> {
                    Principal a = s.agent("a1");
                    s.hub.agents.heartbeat(a, AgentStatus.ACTIVE, null, null);
                    require(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.FIRING)
                                    .isEmpty(),
                            "quiet");
                    s.advance(Duration.ofMinutes(16));
                    s.hub.reaper.run();
                    equal(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    equal(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.FIRING)
                                    .size(),
                            0,
                            "repeats");
                    require(
                            AgentChecks.notices(s).stream()
                                    .anyMatch(m -> m.text().startsWith("[FIRING critical] AllAgentsDown")),
                            "a chat post");
                    s.hub.agents.heartbeat(a, null, null, null);
                    equal(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.RESOLVED)
                                    .size(),
                            1,
                            "resolutions");
                    return "fired once when a1 went offline, resolved when it came back";
                }),
                of("alert-error-rate-hold", "alerts", "HighErrorRate fires only after holding for 5 minutes", s -> {
                    List<Principal> a = reporters(s, 10);
                    traffic(s, a, 100, 10);
                    require(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .isEmpty(),
                            "pending");
                    s.advance(Duration.ofMinutes(4));
                    traffic(s, a, 100, 10);
                    require(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .isEmpty(),
                            "pending");
                    s.advance(Duration.ofMinutes(1));
                    traffic(s, a, 100, 10);
                    equal(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    equal(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .size(),
                            0,
                            "repeats");
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier at 10% errors");
                    return "pending at 10% errors, fired after 5 min, sent once";
                }),
                of("alert-token-budget", "alerts", "TokenBudgetExceeded fires over the daily budget", s -> {
                    s.hub.signals.useTokensToday(() -> OptionalLong.of(1_200_000));
                    List<AlertEvent> events = s.ops.evaluate();
                    equal(
                            firing(events, "TokenBudgetExceeded", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    return "fired at 1,200,000 tokens over a 1,000,000 budget";
                }),
                of("alert-agents-stalled", "alerts", "AgentsStalled fires when an agent stays stalled", s -> {
                    Principal a = s.agent("a1");
                    s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                    for (int minute = 1; minute <= 11; minute++) {
                        s.advance(Duration.ofMinutes(1));
                        s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                        s.hub.stalls.run();
                        List<AlertEvent> events = s.ops.evaluate();
                        if (!firing(events, "AgentsStalled", AlertEvent.Kind.FIRING)
                                .isEmpty()) {
                            require(minute >= 10, "the alert to wait for 5 min of stall, fired at minute " + minute);
                            return "a1 stalled after 5 min without progress; the alert fired 5 min later";
                        }
                    }
                    throw new AssertionError("expected AgentsStalled to fire within 11 minutes");
                }),
                of("alert-self-test-failing", "alerts", "a failing self-test raises SelfTestFailing", s -> {
                    List<CheckResult> results = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        results.add(new CheckResult(
                                "c" + i, "x", i == 0 ? CheckResult.Status.FAIL : CheckResult.Status.PASS, 1, ""));
                    }
                    s.stores()
                            .selfTests()
                            .save(new SelfTestRun("r1", "schedule", "n", s.clock.instant(), 1, 9, 1, 0, results), 5);
                    List<AlertEvent> events = s.ops.evaluate();
                    equal(
                            firing(events, "SelfTestFailing", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    equal(
                            firing(events, "SelfTestCritical", AlertEvent.Kind.FIRING)
                                    .size(),
                            0,
                            "critical firings");
                    return "fired at 9/10 passing";
                }),
                of(
                        "alert-webhook-delivery",
                        "alerts",
                        "webhooks get JSON and Slack bodies, retried after failure",
                        s -> {
                            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                            AtomicInteger calls = new AtomicInteger();
                            HttpServer server =
                                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                            server.createContext("/", ex -> {
                                byte[] body = ex.getRequestBody().readAllBytes();
                                int status = calls.incrementAndGet() == 1 ? 500 : 204;
                                if (status == 204) {
                                    received.add(ex.getRequestURI().getPath() + " "
                                            + new String(body, StandardCharsets.UTF_8));
                                }
                                ex.sendResponseHeaders(status, -1);
                                ex.close();
                            });
                            server.start();
                            String base =
                                    "http://127.0.0.1:" + server.getAddress().getPort();
                            WebhookNotifier hooks = new WebhookNotifier(
                                    List.of(base + "/generic", "slack:" + base + "/slack"),
                                    3,
                                    Duration.ofMillis(20),
                                    "scratch");
                            try {
                                AlertRule rule = s.hub.alerts.rules().getFirst();
                                Instant now = s.clock.instant();
                                hooks.deliver(
                                        new AlertEvent(
                                                7,
                                                rule.name(),
                                                rule.severity(),
                                                AlertEvent.Kind.FIRING,
                                                now,
                                                0.0,
                                                "down",
                                                now),
                                        rule);
                                List<String> got = new ArrayList<>();
                                for (int i = 0; i < 2; i++) {
                                    String r = received.poll(5, TimeUnit.SECONDS);
                                    require(r != null, "both deliveries within 5 s");
                                    got.add(r);
                                }
                                String generic = got.stream()
                                        .filter(g -> g.startsWith("/generic"))
                                        .findFirst()
                                        .orElseThrow();
                                String slack = got.stream()
                                        .filter(g -> g.startsWith("/slack"))
                                        .findFirst()
                                        .orElseThrow();
                                require(
                                        generic.contains("\"alert\":\"" + rule.name() + "\"")
                                                && generic.contains("\"status\":\"firing\""),
                                        "the generic body");
                                require(slack.contains("\"text\":"), "the Slack body");
                                long retries = hooks.stats().stream()
                                        .mapToLong(WebhookNotifier.Stats::retries)
                                        .sum();
                                equal(retries, 1L, "retries after the first 500");
                                return "generic and Slack bodies delivered; one retry after an HTTP 500";
                            } finally {
                                hooks.close();
                                server.stop(0);
                            }
                        }));
    }
}
