package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.LeaseStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A zone acquire reads the grants active below the zone, not the history of ended ones: the number of grant hashes it
 * reads (counted by the server) stays the same however many grants below the zone have ended.
 */
class RedisLeaseHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    private static <T> T withRedis(Function<RedisCommands<String, String>, T> action) {
        RedisClient client = RedisClient.create(LocalRedisServer.shared().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return action.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    private static long size(String sortedSet) {
        return withRedis(c -> c.zcard(sortedSet));
    }

    /** How many HMGET calls the server has run (the lease scripts read a grant with one). */
    private static long grantReads() {
        return LocalRedisServer.shared().calls("hmget");
    }

    /** Grant reads of one acquire of zone {@code z/} by a third agent, refused by bob's active lease below it. */
    private static long zoneAcquireReads(LeaseStore leases, Instant now) {
        long before = grantReads();
        Acquisition a = leases.tryAcquire("z/", "carol", TTL, null, now, 1000);
        long reads = grantReads() - before;
        assertThat(a).isInstanceOf(Acquisition.Refused.class);
        assertThat(((Acquisition.Refused) a).blockers())
                .singleElement()
                .satisfies(l -> assertThat(l.holder()).isEqualTo("bob"));
        return reads;
    }

    /** Ends {@code n} grants below the zone: half released, half left to expire. */
    private static Instant endHistory(LeaseStore leases, int from, int n, Instant now) {
        for (int i = from; i < from + n; i++) {
            String name = "z/f" + i;
            if (i % 2 == 0) {
                Acquisition.Granted g = (Acquisition.Granted) leases.tryAcquire(name, "alice", TTL, null, now, 1000);
                leases.release(name, "alice", g.lease().token(), now);
            } else {
                leases.tryAcquire(name, "alice", Duration.ofSeconds(1), null, now, 1000);
            }
        }
        return now.plusSeconds(2);
    }

    @Test
    void a_zone_acquire_reads_the_same_number_of_grants_however_long_the_history_below_the_zone() {
        RedisStores stores = RedisFixture.fresh();
        try {
            LeaseStore leases = stores.leases();
            Instant now = T0;
            leases.tryAcquire("z/active", "bob", Duration.ofDays(1), null, now, 1000);
            now = endHistory(leases, 0, 20, now);
            zoneAcquireReads(leases, now); // drops the expired names it meets
            long small = zoneAcquireReads(leases, now);

            now = endHistory(leases, 20, 400, now);
            zoneAcquireReads(leases, now);
            long large = zoneAcquireReads(leases, now);

            assertThat(large)
                    .as("grant reads with 420 ended grants below the zone, against 20")
                    .isEqualTo(small);
            assertThat(large).isLessThanOrEqualTo(3);
            String names = stores.prefix() + "{lease}:names";
            assertThat(size(names))
                    .as("the names index holds the active grant only")
                    .isEqualTo(1);
        } finally {
            stores.close();
        }
    }

    @Test
    void names_index_left_by_older_code_with_ended_grants_still_blocks_correctly_and_is_pruned() {
        RedisStores stores = RedisFixture.fresh();
        try {
            LeaseStore leases = stores.leases();
            Instant now = T0;
            leases.tryAcquire("z/active", "bob", Duration.ofDays(1), null, now, 1000);
            for (int i = 0; i < 50; i++) {
                Acquisition.Granted g =
                        (Acquisition.Granted) leases.tryAcquire("z/old" + i, "alice", TTL, null, now, 1000);
                leases.release("z/old" + i, "alice", g.lease().token(), now);
            }
            String names = stores.prefix() + "{lease}:names";
            // The older code kept every grant's name in the index until the purge.
            withRedis(c -> {
                for (int i = 0; i < 50; i++) {
                    c.zadd(names, 0, "z/old" + i);
                }
                return null;
            });
            zoneAcquireReads(leases, now);
            assertThat(size(names)).isEqualTo(1);
            assertThat(zoneAcquireReads(leases, now)).isLessThanOrEqualTo(3);
            assertThat(leases.overlapping("z/", now))
                    .singleElement()
                    .satisfies(l -> assertThat(l.resource()).isEqualTo("z/active"));
        } finally {
            stores.close();
        }
    }
}
