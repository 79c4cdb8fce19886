package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's reader reads on change, not on a timer: a quiet fleet costs no reads between its slow refreshes, a
 * change reaches the page within a second (from another node too), and the alerts, memories and audit log are live.
 */
class DashboardFeedTest {
    /** One page's stream: its lines, as they arrive. */
    private static LinkedBlockingQueue<String> open(TestHub hub, String token) throws InterruptedException {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(hub.url() + "/api/dashboard/events"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(lines::add));
        assertThat(next(lines, "event: snapshot", null, Duration.ofSeconds(10))).isNotNull();
        return lines;
    }

    /**
     * Waits for an event of {@code type} whose data contains {@code text} (any data if null); returns its data line,
     * or null after {@code patience}.
     */
    private static String next(LinkedBlockingQueue<String> lines, String type, String text, Duration patience)
            throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        String previous = "";
        while (System.nanoTime() < until) {
            String l = lines.poll(50, TimeUnit.MILLISECONDS);
            if (l == null) {
                continue;
            }
            if (type.equals("event: snapshot") && l.equals(type)) {
                return l;
            }
            if (previous.equals(type) && l.startsWith("data: ") && (text == null || l.contains(text))) {
                return l;
            }
            previous = l;
        }
        return null;
    }

    @Test
    void a_quiet_fleet_costs_no_reads_and_a_change_arrives_within_a_second() throws Exception {
        try (TestHub hub = new TestHub(Map.of("rate-limit-writes", "0"), Clock.systemUTC())) {
            String agent = hub.agent("worker");
            LinkedBlockingQueue<String> page = open(hub, TestHub.ADMIN);
            // The pools follow the snapshot with one read; then nothing changes.
            Thread.sleep(1500);
            long before = hub.hub().dashboardReads();
            Thread.sleep(3000);
            assertThat(hub.hub().dashboardReads())
                    .as("reads while nothing changed (a poll every 250 ms would make 12)")
                    .isEqualTo(before);

            long started = System.nanoTime();
            assertThat(hub.post(agent, "/api/leases", Map.of("resource", "src/quiet.ts", "ttlSeconds", 300))
                            .status())
                    .isEqualTo(201);
            assertThat(next(page, "event: leases", "src/quiet.ts", Duration.ofSeconds(5)))
                    .isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void alerts_memories_and_the_audit_log_arrive_live_and_a_viewer_gets_no_audit() throws Exception {
        try (TestHub hub = new TestHub(Map.of("rate-limit-writes", "0"), Clock.systemUTC())) {
            String agent = hub.agent("scribe");
            String viewer = hub.viewer("watcher");
            LinkedBlockingQueue<String> admin = open(hub, TestHub.ADMIN);
            LinkedBlockingQueue<String> watcher = open(hub, viewer);
            assertThat(hub.post(
                                    agent,
                                    "/api/memories",
                                    Map.of("category", "pattern", "content", "retry the flaky migration"))
                            .status())
                    .isEqualTo(201);
            assertThat(next(admin, "event: memories", "retry the flaky migration", Duration.ofSeconds(5)))
                    .isNotNull();
            assertThat(next(watcher, "event: memories", "retry the flaky migration", Duration.ofSeconds(5)))
                    .isNotNull();

            assertThat(hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "load test"))
                            .status())
                    .isEqualTo(200);
            assertThat(next(admin, "event: audit", "tier.set", Duration.ofSeconds(5)))
                    .isNotNull();
            // The viewer saw the tier in the overview, never the audit log.
            String seen;
            StringBuilder all = new StringBuilder();
            while ((seen = watcher.poll(200, TimeUnit.MILLISECONDS)) != null) {
                all.append(seen).append('\n');
            }
            assertThat(all.toString()).doesNotContain("event: audit").doesNotContain("tier.set");
        }
    }

    @Test
    void a_change_on_another_redis_node_reaches_the_page_within_a_second() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings =
                Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix(), "rate-limit-writes", "0");
        try (TestHub one = new TestHub(settings, Clock.systemUTC());
                TestHub two = new TestHub(settings, Clock.systemUTC())) {
            String agent = one.agent("far-away");
            LinkedBlockingQueue<String> page = open(two, TestHub.ADMIN);
            Thread.sleep(1000);
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                assertThat(one.post(agent, "/api/leases", Map.of("resource", "src/far-" + i + ".ts", "ttlSeconds", 300))
                                .status())
                        .isEqualTo(201);
                assertThat(next(page, "event: leases", "src/far-" + i + ".ts", Duration.ofSeconds(10)))
                        .isNotNull();
                // Well within the slow refresh (60 s): the signal crossed the nodes.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }
}
