package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * One file, one lease: every spelling of a path names one resource, on both backends, and the replies name the
 * canonical resource.
 */
class LeaseNamesTest {
    enum Backend {
        SQLITE,
        REDIS
    }

    private static final List<String> SPELLINGS =
            List.of("./src/norm.ts", "src//norm.ts", "src/x/../norm.ts", "/work/repo/src/norm.ts", "src\\norm.ts");

    static TestHub start(Backend backend, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        if (backend == Backend.REDIS) {
            LocalRedisServer redis = LocalRedisServer.shared();
            all.put("redis-url", redis.url());
            all.put("redis-prefix", redis.freshPrefix());
        }
        return new TestHub(all, Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void five_spellings_of_one_file_give_one_winner_and_four_conflicts_naming_the_canonical_resource(Backend backend)
            throws Exception {
        try (TestHub hub = start(backend, Map.of("lease-path-root", "/work/repo"))) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < SPELLINGS.size(); i++) {
                tokens.add(hub.agent("a" + i));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<TestHub.Response>> calls = new ArrayList<>();
            for (int i = 0; i < SPELLINGS.size(); i++) {
                String token = tokens.get(i);
                String spelling = SPELLINGS.get(i);
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            return hub.post(token, "/api/leases", Map.of("resource", spelling));
                        },
                        r -> Thread.ofVirtual().start(r)));
            }
            go.countDown();
            List<TestHub.Response> replies =
                    calls.stream().map(CompletableFuture::join).toList();

            List<TestHub.Response> won =
                    replies.stream().filter(r -> r.status() == 201).toList();
            List<TestHub.Response> refused =
                    replies.stream().filter(r -> r.status() == 409).toList();
            assertThat(won).hasSize(1);
            assertThat(refused).hasSize(4);
            JsonNode lease = won.getFirst().json();
            assertThat(lease.path("resource").asString()).isEqualTo("src/norm.ts");
            String holder = lease.path("holder").asString();
            refused.forEach(r -> {
                assertThat(r.json().path("code").asString()).isEqualTo("lease_held");
                assertThat(r.json().path("resource").asString()).isEqualTo("src/norm.ts");
                assertThat(r.json().path("detail").asString()).startsWith("src/norm.ts is held by " + holder);
            });
            assertThat(hub.get(tokens.getFirst(), "/api/leases").json().path("leases"))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void renew_release_check_force_release_and_handoffs_take_any_spelling_and_name_the_canonical_resource(
            Backend backend) throws Exception {
        try (TestHub hub = start(backend, Map.of())) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");

            TestHub.Response absolute = hub.post(alice, "/api/leases", Map.of("resource", "/src/norm.ts"));
            assertThat(absolute.status()).isEqualTo(400);
            assertThat(absolute.json().path("detail").asString())
                    .contains("/src/norm.ts is an absolute path", "relative to the repository root");
            TestHub.Response escaping = hub.post(alice, "/api/leases", Map.of("resource", "src/../../etc/passwd"));
            assertThat(escaping.status()).isEqualTo(400);
            assertThat(escaping.json().path("detail").asString()).contains("leaves the repository root");

            long token = hub.post(alice, "/api/leases", Map.of("resource", "src/norm.ts"))
                    .json()
                    .path("token")
                    .asLong();
            TestHub.Response renewed = hub.post(
                    alice, "/api/leases/renew", Map.of("resource", "./src//norm.ts", "token", token, "ttlSeconds", 60));
            assertThat(renewed.status()).isEqualTo(200);
            assertThat(renewed.json().path("resource").asString()).isEqualTo("src/norm.ts");

            JsonNode check = hub.get(bob, "/api/leases/check?resource=src/x/../norm.ts&resource=./src/")
                    .json();
            assertThat(check.path("free").asBoolean()).isFalse();
            assertThat(check.path("conflicts").path("src/norm.ts").size()).isEqualTo(1);
            assertThat(check.path("conflicts").path("src/").size()).isEqualTo(1);
            TestHub.Response zone = hub.post(bob, "/api/leases", Map.of("resource", "./src/x/.."));
            assertThat(zone.status()).isEqualTo(409);
            assertThat(zone.json().path("detail").asString()).startsWith("src/norm.ts (which overlaps src/) is held");

            TestHub.Response badToken =
                    hub.post(bob, "/api/leases/release", Map.of("resource", "src\\norm.ts", "token", token + 100));
            assertThat(badToken.status()).isEqualTo(409);
            assertThat(badToken.json().path("detail").asString()).startsWith("Cannot release src/norm.ts with token");

            TestHub.Response handoff = hub.post(
                    alice, "/api/handoffs", Map.of("to", "bob", "title", "norm", "leases", List.of("./src/norm.ts")));
            assertThat(handoff.status()).isEqualTo(201);
            assertThat(handoff.json().path("leases").get(0).asString()).isEqualTo("src/norm.ts");
            hub.post(alice, "/api/handoffs/" + handoff.json().path("id").asString() + "/cancel", Map.of());

            TestHub.Response released =
                    hub.post(alice, "/api/leases/release", Map.of("resource", "src//norm.ts", "token", token));
            assertThat(released.status()).isEqualTo(200);
            assertThat(released.json().path("lease").path("resource").asString())
                    .isEqualTo("src/norm.ts");

            hub.post(bob, "/api/leases", Map.of("resource", "docs/a.md"));
            TestHub.Response forced = hub.post(
                    TestHub.ADMIN, "/api/leases/force-release", Map.of("resource", "./docs/a.md", "reason", "stuck"));
            assertThat(forced.status()).isEqualTo(200);
            assertThat(forced.json().path("lease").path("resource").asString()).isEqualTo("docs/a.md");
            TestHub.Response none = hub.post(
                    TestHub.ADMIN, "/api/leases/force-release", Map.of("resource", "docs//a.md", "reason", "stuck"));
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.json().path("detail").asString()).contains("No active lease on docs/a.md");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void with_lease_case_insensitive_two_cases_of_one_file_are_one_lease(Backend backend) throws Exception {
        try (TestHub hub = start(backend, Map.of("lease-case-insensitive", "true"))) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            assertThat(hub.post(alice, "/api/leases", Map.of("resource", "Src/Norm.ts"))
                            .json()
                            .path("resource")
                            .asString())
                    .isEqualTo("src/norm.ts");
            TestHub.Response other = hub.post(bob, "/api/leases", Map.of("resource", "SRC/norm.TS"));
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.json().path("resource").asString()).isEqualTo("src/norm.ts");
        }
    }
}
