package io.agenthub.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.client.HubClient;
import io.agenthub.client.HubLease;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Leases;
import io.agenthub.server.TestHub;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HubLease} against a live hub on the system clock: the renewer is a real thread, so these tests wait real
 * seconds with a TTL of two seconds (the hub's minimum TTL is one second).
 */
@Timeout(60)
class HubClientLeaseTest {
    static TestHub hub;
    static HubClient admin;
    static HubClient alice;
    static HubClient bob;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        admin = HubClient.builder().urls(hub.url()).token(TestHub.ADMIN).build();
        alice = admin.withToken(hub.agent("alice"));
        bob = admin.withToken(hub.agent("bob"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void a_held_lease_renews_itself_past_its_ttl_and_close_releases_it() throws Exception {
        long token;
        try (HubLease lease = alice.leases().acquire("src/renewed.java", Duration.ofSeconds(2))) {
            token = lease.token();
            Thread.sleep(4_500);
            assertThat(lease.isLost()).isFalse();
            assertThat(bob.leases().check("src/renewed.java").conflicts().get("src/renewed.java"))
                    .as("still held after twice its TTL")
                    .extracting(Leases.Lease::token)
                    .containsExactly(token);
            assertThat(lease.expiresAt()).isAfter(lease.lease().acquiredAt().plusSeconds(3));
        }
        assertThat(alice.leases().heldBy("alice")).isEmpty();
        assertThat(bob.leases().grant("src/renewed.java", null, null).holder()).isEqualTo("bob");
    }

    @Test
    void a_force_released_lease_is_reported_lost_with_the_hubs_reason() throws Exception {
        try (HubLease lease = alice.leases().acquire("src/taken.java", Duration.ofSeconds(2))) {
            admin.leases().forceRelease("src/taken.java", "reassigned");
            HubLease.Lost lost = lease.lost().get(5, TimeUnit.SECONDS);
            assertThat(lease.isLost()).isTrue();
            assertThat(lost.token()).isEqualTo(lease.token());
            assertThat(lost.reason()).contains("Cannot renew src/taken.java", "released");
            assertThat(lost.problem()).isInstanceOf(HubProblem.Conflict.class);
            assertThat(lost.problem().code()).isEqualTo("not_holder");
            bob.leases().grant("src/taken.java", Duration.ofMinutes(1), null);
        }
        assertThat(bob.leases().heldBy("bob"))
                .as("closing a lost lease does not release the new holder's grant")
                .extracting(Leases.Lease::resource)
                .contains("src/taken.java");
    }

    @Test
    void a_held_lease_refuses_another_agent_with_holder_and_expiry() {
        try (HubLease lease = alice.leases().acquire("src/busy.java", Duration.ofMinutes(1), "refactoring")) {
            assertThatThrownBy(() -> bob.leases().acquire("src/busy.java", Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(HubProblem.Conflict.class, c -> {
                        assertThat(c.status()).isEqualTo(409);
                        assertThat(c.code()).isEqualTo("lease_held");
                        assertThat(c.holder()).contains("alice");
                        assertThat(c.expiresAt()).contains(lease.expiresAt());
                        assertThat(c.detail()).contains("held by alice until");
                        assertThat(c.member("resource")).contains("src/busy.java");
                    });
        }
    }

    @Test
    void the_fleet_throttle_is_a_rate_limit_with_retry_after() throws Exception {
        try (TestHub throttled = new TestHub(
                Map.of(
                        "budget-info-usd", "1",
                        "budget-warn-usd", "2",
                        "budget-throttle-usd", "3",
                        "budget-halt-usd", "100",
                        "throttle-delay", "30s"),
                java.time.Clock.systemUTC())) {
            HubClient dev = HubClient.builder()
                    .urls(throttled.url())
                    .token(throttled.agent("dev"))
                    .build();
            dev.usage().report(new io.agenthub.client.Usage.Report("claude-haiku-4-5", 3_000_000L, 0L, 0L, 0L, 1000L));
            dev.leases().grant("one.txt", null, null);
            assertThatThrownBy(() -> dev.leases().grant("two.txt", null, null))
                    .isInstanceOfSatisfying(HubProblem.RateLimited.class, r -> {
                        assertThat(r.status()).isEqualTo(429);
                        // The hub's clock runs on between the two grants, so the wait is just under the delay.
                        assertThat(r.retryAfter())
                                .hasValueSatisfying(
                                        d -> assertThat(d).isBetween(Duration.ofSeconds(28), Duration.ofSeconds(30)));
                        assertThat(r.detail()).contains("throttle");
                    });
        }
    }
}
