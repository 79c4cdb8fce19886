package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
import io.agenthub.lease.Acquisition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis trouble at the store boundary: a paused or stopped server makes calls fail within the timeout as
 * {@link HubException.Unavailable}, and the same stores work again once the server is back.
 */
class RedisOutageTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private LocalRedisServer server;
    private RedisStores stores;

    @BeforeEach
    void start() {
        server = LocalRedisServer.start();
        stores = RedisStores.open(server.url(), server.freshPrefix(), TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        if (stores != null) {
            stores.close();
        }
        server.resume();
        server.close();
    }

    private Acquisition acquire(String resource) {
        return stores.leases().tryAcquire(resource, "alice", Duration.ofMinutes(1), "", Instant.now());
    }

    private void assertUnavailableWithin(Duration limit, Runnable call) {
        long started = System.nanoTime();
        assertThatThrownBy(call::run)
                .isInstanceOf(HubException.Unavailable.class)
                .hasMessageContaining("retry")
                .satisfies(e ->
                        assertThat(((HubException.Unavailable) e).retryAfter()).isPositive());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(limit);
    }

    private void awaitRecovery() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                stores.ping();
                return;
            } catch (HubException.Unavailable e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void a_paused_server_makes_calls_fail_within_the_timeout_and_they_work_again_after_it_resumes() throws Exception {
        assertThat(acquire("before")).isInstanceOf(Acquisition.Granted.class);
        server.pause();
        assertUnavailableWithin(Duration.ofSeconds(2), () -> acquire("during"));
        assertUnavailableWithin(Duration.ofSeconds(2), stores::ping);
        server.resume();
        awaitRecovery();
        assertThat(acquire("after")).isInstanceOf(Acquisition.Granted.class);
        // The call that timed out was still queued in the frozen server and ran when it resumed: a 503 means the
        // outcome is unknown, which is why a holder's repeated acquire extends its own grant instead of failing.
        assertThat(stores.leases().active(Instant.now()))
                .extracting(io.agenthub.lease.Lease::resource)
                .contains("before", "after");
        assertThat(acquire("during"))
                .isInstanceOfSatisfying(
                        Acquisition.Granted.class,
                        g -> assertThat(g.lease().holder()).isEqualTo("alice"));
    }

    @Test
    void a_stopped_server_makes_calls_fail_fast_and_a_restarted_one_is_used_without_reopening() throws Exception {
        assertThat(acquire("before")).isInstanceOf(Acquisition.Granted.class);
        server.close();
        assertUnavailableWithin(Duration.ofSeconds(2), () -> acquire("during"));
        assertUnavailableWithin(Duration.ofSeconds(2), () -> stores.messages().latestCursor());
        server.restart();
        awaitRecovery();
        // The restarted server has no data and no cached scripts: EVALSHA falls back to EVAL.
        assertThat(acquire("after")).isInstanceOf(Acquisition.Granted.class);
    }
}
