package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeaseApiTest {
    static TestHub hub;
    static String alice;
    static String bob;
    static String viewer;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        alice = hub.agent("alice");
        bob = hub.agent("bob");
        viewer = hub.viewer("screen");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void claim_conflict_names_the_holder_and_release_frees_it() {
        TestHub.Response granted =
                hub.post(alice, "/api/leases", Map.of("resource", "src/app.ts", "ttlSeconds", 60, "note", "fixing"));
        assertThat(granted.status()).isEqualTo(201);
        assertThat(granted.json().path("holder").asString()).isEqualTo("alice");
        long token = granted.json().path("token").asLong();
        assertThat(token).isPositive();
        assertThat(granted.json().path("expiresAt").asString()).isNotEmpty();

        TestHub.Response held = hub.post(bob, "/api/leases", Map.of("resource", "src/app.ts"));
        assertThat(held.status()).isEqualTo(409);
        assertThat(held.header("Content-Type")).startsWith("application/problem+json");
        assertThat(held.json().path("holder").asString()).isEqualTo("alice");
        assertThat(held.json().path("detail").asString()).contains("held by alice until");
        assertThat(held.json().path("code").asString()).isEqualTo("lease_held");

        TestHub.Response check = hub.get(bob, "/api/leases/check?resource=src/app.ts&resource=src/other.ts");
        assertThat(check.json().path("free").asBoolean()).isFalse();
        assertThat(check.json()
                        .path("conflicts")
                        .path("src/app.ts")
                        .get(0)
                        .path("holder")
                        .asString())
                .isEqualTo("alice");
        assertThat(check.json().path("conflicts").path("src/other.ts").size()).isZero();

        TestHub.Response stolen =
                hub.post(bob, "/api/leases/release", Map.of("resource", "src/app.ts", "token", token));
        assertThat(stolen.status()).isEqualTo(403);
        assertThat(stolen.json().path("detail").asString()).contains("belongs to alice");

        assertThat(hub.post(
                                alice,
                                "/api/leases/renew",
                                Map.of("resource", "src/app.ts", "token", token, "ttlSeconds", 120))
                        .status())
                .isEqualTo(200);
        TestHub.Response released =
                hub.post(alice, "/api/leases/release", Map.of("resource", "src/app.ts", "token", token));
        assertThat(released.status()).isEqualTo(200);

        TestHub.Response again =
                hub.post(alice, "/api/leases/release", Map.of("resource", "src/app.ts", "token", token));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("detail").asString()).contains("already released at");

        TestHub.Response bobs = hub.post(bob, "/api/leases", Map.of("resource", "src/app.ts"));
        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.json().path("token").asLong()).isGreaterThan(token);
        TestHub.Response stale = hub.post(alice, "/api/leases/renew", Map.of("resource", "src/app.ts", "token", token));
        assertThat(stale.json().path("detail").asString()).contains("now held by bob");
    }

    @Test
    void zones_block_files_inside_them() {
        assertThat(hub.post(alice, "/api/leases", Map.of("resource", "zone/api/"))
                        .status())
                .isEqualTo(201);
        TestHub.Response inside = hub.post(bob, "/api/leases", Map.of("resource", "zone/api/routes.java"));
        assertThat(inside.status()).isEqualTo(409);
        assertThat(inside.json().path("detail").asString()).contains("zone/api/ (which overlaps");
    }

    @Test
    void an_agent_at_its_lease_limit_gets_409_too_many_leases_until_it_releases_one() throws Exception {
        try (TestHub small = new TestHub(Map.of("lease-max-per-agent", "2"), java.time.Clock.systemUTC())) {
            String carol = small.agent("carol");
            long token = small.post(carol, "/api/leases", Map.of("resource", "lim/1"))
                    .json()
                    .path("token")
                    .asLong();
            assertThat(small.post(carol, "/api/leases", Map.of("resource", "lim/2"))
                            .status())
                    .isEqualTo(201);
            TestHub.Response third = small.post(carol, "/api/leases", Map.of("resource", "lim/3"));
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.json().path("code").asString()).isEqualTo("too_many_leases");
            assertThat(third.json().path("detail").asString()).contains("already holds 2 leases");
            assertThat(small.post(carol, "/api/leases", Map.of("resource", "lim/1"))
                            .status())
                    .as("extending a lease it holds is not a new one")
                    .isEqualTo(200);
            small.post(carol, "/api/leases/release", Map.of("resource", "lim/1", "token", token));
            assertThat(small.post(carol, "/api/leases", Map.of("resource", "lim/3"))
                            .status())
                    .isEqualTo(201);
        }
    }

    @Test
    void viewers_read_but_cannot_write_and_anonymous_calls_are_refused() {
        assertThat(hub.get(viewer, "/api/leases").status()).isEqualTo(200);
        TestHub.Response write = hub.post(viewer, "/api/leases", Map.of("resource", "x"));
        assertThat(write.status()).isEqualTo(403);
        TestHub.Response anonymous = hub.get(null, "/api/leases");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).contains("Bearer");
        assertThat(hub.get("ahk_forged", "/api/leases").status()).isEqualTo(401);
    }

    @Test
    void admin_force_release_is_recorded_in_the_audit_log() {
        long token = hub.post(alice, "/api/leases", Map.of("resource", "stuck.lock"))
                .json()
                .path("token")
                .asLong();
        assertThat(hub.post(bob, "/api/leases/force-release", Map.of("resource", "stuck.lock", "reason", "x"))
                        .status())
                .isEqualTo(403);
        TestHub.Response forced = hub.post(
                TestHub.ADMIN, "/api/leases/force-release", Map.of("resource", "stuck.lock", "reason", "agent hung"));
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().path("lease").path("token").asLong()).isEqualTo(token);
        TestHub.Response audit = hub.get(TestHub.ADMIN, "/api/audit?limit=1000");
        assertThat(audit.json().path("events").toString()).contains("lease.force-release", "agent hung");
    }

    @Test
    void exactly_one_of_32_http_clients_wins_each_round() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tokens.add(hub.agent("racer-" + i));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 10; round++) {
                String resource = "race-" + round;
                CountDownLatch go = new CountDownLatch(1);
                ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
                List<Future<?>> futures = new ArrayList<>();
                for (String t : tokens) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        statuses.add(hub.post(t, "/api/leases", Map.of("resource", resource))
                                .status());
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
                assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
                assertThat(statuses).filteredOn(s -> s == 409).hasSize(31);
            }
        }
    }
}
