package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.AgentService;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.PresenceReaper;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.lease.Lease;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.services.Services;
import io.agenthub.store.Stores;
import io.agenthub.store.redis.LocalRedisServer;
import io.agenthub.store.redis.RedisStores;
import io.agenthub.store.sqlite.SqliteStores;
import io.agenthub.tck.MutableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A silent agent's leases pass to a handoff for its pool, but the handoff never blocks a resource longer than the
 * lease itself: an agent outside the pool gets it once the lease's own TTL since its last renewal has passed. The
 * hub's services on each backend, with a fake clock (the hub on Redis reads Redis's clock, so this is not driven over
 * HTTP).
 */
class SilentAgentLeasesTest {
    private static final String ADMIN = "silent-agent-test-admin-token-0123";

    enum Backend {
        SQLITE,
        REDIS
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T09:00:00Z"));
    private Stores stores;
    private Services hub;
    private Principal admin;

    private void open(Backend backend) throws Exception {
        stores = switch (backend) {
            case SQLITE -> SqliteStores.open(Files.createTempDirectory("silent-agent"), false);
            case REDIS -> {
                LocalRedisServer redis = LocalRedisServer.shared();
                yield RedisStores.open(redis.url(), redis.freshPrefix(), Duration.ofSeconds(5));
            }
        };
        hub = new Services(stores, HubConfig.of(Map.of()), clock, ADMIN, new HubMetrics(false), List.of());
        admin = hub.auth.authenticate(ADMIN);
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private Principal agent(String id, String pool) {
        AgentService.Registered r = hub.agents.register(
                admin, id, Role.AGENT, new AgentService.Profile(id, List.of(), Map.of("pool", pool)));
        return hub.auth.authenticate(r.token());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void an_agent_outside_the_pool_gets_a_silent_agents_zone_no_later_than_the_leases_own_ttl(Backend backend)
            throws Exception {
        open(backend);
        Principal worker = agent("worker", "billing");
        Principal heir = agent("heir", "billing");
        Principal outsider = agent("outsider", "web");
        hub.leases.acquire(worker, "src/billing/", 300L, "porting");
        clock.advance(Duration.ofMinutes(2));
        // The last renewal, at 09:02 for 10 minutes: the lease's own expiry is 09:12.
        Lease zone = hub.leases.acquire(worker, "src/billing/", 600L, "porting").lease();
        hub.leases.acquire(worker, "task:billing-v2", 600L, "");
        Instant ownExpiry = Instant.parse("2026-04-01T09:12:00Z");
        assertThat(zone.expiresAt()).isEqualTo(ownExpiry);

        // Silent for stale (3 x 60 s) plus grace (2 min) and more: the reaper offers the leases to the pool.
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(1));
            hub.agents.heartbeat(heir, AgentStatus.IDLE, null, null);
            hub.agents.heartbeat(outsider, AgentStatus.BUSY, null, null);
        }
        PresenceReaper.Pass pass = hub.reaper.run();
        assertThat(pass.released()).isEmpty();
        assertThat(pass.handedOver()).extracting(Lease::resource).containsExactly("src/billing/", "task:billing-v2");
        assertThat(pass.handedOver())
                .as("the handoff does not extend the leases")
                .allSatisfy(l -> assertThat(l.expiresAt()).isEqualTo(ownExpiry));
        Handoff handoff =
                hub.handoffs.list(admin, HandoffStatus.PENDING, false, 10).getFirst();
        assertThat(handoff.kind()).isEqualTo(Handoff.Kind.REAPED);
        assertThat(handoff.expiresAt()).isAfter(ownExpiry);
        assertThat(hub.reaper.run().handedOver())
                .as("a second pass changes nothing")
                .hasSize(2);
        assertThat(hub.leases.heldBy("worker"))
                .allSatisfy(l -> assertThat(l.expiresAt()).isEqualTo(ownExpiry));

        clock.set(ownExpiry.minusSeconds(1));
        hub.reaper.run();
        assertThatThrownBy(() -> hub.leases.acquire(outsider, "src/billing/api.ts", 60L, ""))
                .as("until then it is the silent worker's own lease")
                .isInstanceOf(HubException.Conflict.class)
                .hasMessageContaining("held by worker until 2026-04-01T09:12:00Z");

        clock.set(ownExpiry);
        hub.reaper.run();
        assertThat(hub.leases.acquire(outsider, "src/billing/api.ts", 60L, "").created())
                .as("free for an agent outside the pool once the lease's own TTL has passed")
                .isTrue();

        // The pool can still take the work over: the free resource is granted fresh, the taken one is reported.
        Acceptance.Accepted accepted = hub.handoffs.accept(heir, handoff.id());
        assertThat(accepted.moved()).extracting(Lease::resource).containsExactly("task:billing-v2");
        assertThat(accepted.moved().getFirst().holder()).isEqualTo("heir");
        assertThat(accepted.moved().getFirst().expiresAt()).isAfter(ownExpiry);
        assertThat(accepted.blocked()).extracting(Lease::holder).containsExactly("outsider");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void the_pool_takes_the_leases_over_with_fresh_ones_while_they_run(Backend backend) throws Exception {
        open(backend);
        Principal worker = agent("worker", "billing");
        Principal heir = agent("heir", "billing");
        Lease held = hub.leases.acquire(worker, "src/billing/", 3600L, "").lease();
        clock.advance(Duration.ofMinutes(6));
        hub.agents.heartbeat(heir, AgentStatus.IDLE, null, null);
        assertThat(hub.reaper.run().handedOver()).extracting(Lease::expiresAt).containsExactly(held.expiresAt());

        Handoff handoff =
                hub.handoffs.list(admin, HandoffStatus.PENDING, false, 10).getFirst();
        Acceptance.Accepted accepted = hub.handoffs.accept(heir, handoff.id());
        assertThat(accepted.moved()).singleElement().satisfies(l -> {
            assertThat(l.holder()).isEqualTo("heir");
            assertThat(l.token()).isGreaterThan(held.token());
        });
        assertThat(hub.leases.heldBy("worker")).isEmpty();
    }
}
