package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.auth.Principal;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.ops.Counters;
import io.agenthub.server.services.Services;
import io.agenthub.store.Stores;
import io.agenthub.tck.MutableClock;
import io.agenthub.trace.TraceEntry;
import io.agenthub.usage.UsageStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The side effects of a lease operation, as the hub wires them: every grant is observed alike, including the leases an
 * accepted handoff moves (which the store moves in the handoff's own atomic step), and an acquire or a handoff's
 * accept reads the budget once, for both its admission and its slow-down directive.
 */
class LeaseSideEffectsTest {
    // claude-haiku-4-5 costs $1 per million input tokens: each report below spends exactly $1.
    private static final Map<String, Object> ONE_DOLLAR =
            Map.of("model", "claude-haiku-4-5", "inputTokens", 1_000_000, "contextTokens", 1000);
    private static final Pattern GRANTED =
            Pattern.compile("hub_lease_acquisitions_total\\{[^}]*outcome=\"granted\"[^}]*} ([0-9.]+)");

    @Test
    void leases_moved_by_an_accepted_handoff_are_observed_like_acquired_ones() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h"))) {
            String dev = hub.agent("dev");
            String heir = hub.agent("heir");
            assertThat(hub.post(dev, "/api/leases", Map.of("resource", "a.txt")).status())
                    .isEqualTo(201);
            assertThat(hub.post(dev, "/api/leases", Map.of("resource", "b.txt")).status())
                    .isEqualTo(201);
            TestHub.Response offered =
                    hub.post(dev, "/api/handoffs", Map.of("to", "heir", "title", "take b", "leases", List.of("b.txt")));
            assertThat(offered.status()).isEqualTo(201);
            TestHub.Response accepted =
                    hub.post(heir, "/api/handoffs/" + offered.json().path("id").asString() + "/accept", Map.of());
            assertThat(accepted.status()).isEqualTo(200);

            Services services = hub.hub().services;
            services.counters.flush();
            services.traces.flush();
            assertThat(services.counters.window(Duration.ofHours(1)).totals().get(Counters.LEASE_GRANTS))
                    .as("two acquires and one lease moved by the handoff")
                    .isEqualTo(3L);
            Matcher granted = GRANTED.matcher(services.metrics.scrape());
            assertThat(granted.find()).isTrue();
            assertThat(Double.parseDouble(granted.group(1))).isEqualTo(3.0);
            Principal admin = services.auth.authenticate(TestHub.ADMIN);
            List<TraceEntry> trail = services.traces.trail(admin, "heir", null, 100);
            assertThat(trail)
                    .as("the heir's trail shows the moved lease as a grant, as an acquire does in dev's")
                    .anySatisfy(e -> {
                        assertThat(e.kind()).isEqualTo("lease");
                        assertThat(e.action()).isEqualTo("acquire");
                        assertThat(e.subject()).isEqualTo("b.txt");
                        assertThat(e.outcome()).startsWith("granted token ");
                    });
            assertThat(services.traces.trail(admin, "dev", null, 100))
                    .filteredOn(e -> e.action().equals("acquire"))
                    .extracting(TraceEntry::subject)
                    .contains("a.txt", "b.txt");
        }
    }

    @Test
    void an_acquire_reads_the_budget_once_for_its_admission_and_its_slow_down_directive() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
        List<Thread> budgetReads = new CopyOnWriteArrayList<>();
        List<Thread> acquires = new CopyOnWriteArrayList<>();
        UnaryOperator<Stores> storage =
                slowStep(clock, budgetReads, "leases", LeaseStore.class, Set.of("tryAcquire"), acquires);
        try (TestHub hub = TestHub.withStorage(clock, throttled("vip"), storage)) {
            String dev = hub.agent("dev");
            String vip = hub.agent("vip");
            for (int i = 0; i < 3; i++) {
                assertThat(hub.post(dev, "/api/usage", ONE_DOLLAR).status()).isEqualTo(200);
            }
            // Past the budget's cached view, so that the acquire reads the day's spend afresh.
            clock.advance(Duration.ofSeconds(5));
            budgetReads.clear();
            acquires.clear();

            TestHub.Response taken = hub.post(vip, "/api/leases", Map.of("resource", "one.txt"));

            assertThat(taken.status()).isEqualTo(201);
            assertThat(taken.header("Hub-Directive")).isEqualTo("slow_down");
            assertThat(taken.header("Hub-Delay-Seconds")).isEqualTo("30");
            assertThat(acquires).hasSize(1);
            Thread request = acquires.getFirst();
            assertThat(budgetReads.stream().filter(t -> t == request).count())
                    .as("budget reads while answering the acquire")
                    .isEqualTo(1);
        }
    }

    @Test
    void a_handoff_create_and_accept_each_read_the_budget_once() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
        List<Thread> budgetReads = new CopyOnWriteArrayList<>();
        List<Thread> handoffSteps = new CopyOnWriteArrayList<>();
        UnaryOperator<Stores> storage =
                slowStep(clock, budgetReads, "handoffs", HandoffStore.class, Set.of("create", "accept"), handoffSteps);
        try (TestHub hub = TestHub.withStorage(clock, throttled("vip,heir"), storage)) {
            String dev = hub.agent("dev");
            String vip = hub.agent("vip");
            String heir = hub.agent("heir");
            for (int i = 0; i < 3; i++) {
                assertThat(hub.post(dev, "/api/usage", ONE_DOLLAR).status()).isEqualTo(200);
            }
            assertThat(hub.post(vip, "/api/leases", Map.of("resource", "c.txt")).status())
                    .isEqualTo(201);
            clock.advance(Duration.ofSeconds(5));
            budgetReads.clear();
            handoffSteps.clear();

            TestHub.Response offered =
                    hub.post(vip, "/api/handoffs", Map.of("to", "heir", "title", "take c", "leases", List.of("c.txt")));

            assertThat(offered.status()).isEqualTo(201);
            assertThat(offered.header("Hub-Directive")).isEqualTo("slow_down");
            assertThat(handoffSteps).hasSize(1);
            Thread create = handoffSteps.getFirst();
            assertThat(budgetReads.stream().filter(t -> t == create).count())
                    .as("budget reads while answering the create")
                    .isEqualTo(1);

            clock.advance(Duration.ofSeconds(5));
            budgetReads.clear();
            handoffSteps.clear();

            TestHub.Response accepted =
                    hub.post(heir, "/api/handoffs/" + offered.json().path("id").asString() + "/accept", Map.of());

            assertThat(accepted.status()).isEqualTo(200);
            assertThat(accepted.header("Hub-Directive")).isEqualTo("slow_down");
            assertThat(accepted.header("Hub-Delay-Seconds")).isEqualTo("30");
            assertThat(handoffSteps).hasSize(1);
            Thread accept = handoffSteps.getFirst();
            assertThat(budgetReads.stream().filter(t -> t == accept).count())
                    .as("budget reads while answering the accept")
                    .isEqualTo(1);
        }
    }

    /**
     * The stores, with every read of the fleet's spend of the day (what the budget reads to admit work and to ask for a
     * slow-down) noted in {@code budgetReads}, and every call of {@code methods} on the store {@code name} noted in
     * {@code calls} and made to take longer than the budget's one-second view.
     */
    private static <T> UnaryOperator<Stores> slowStep(
            MutableClock clock,
            List<Thread> budgetReads,
            String name,
            Class<T> type,
            Set<String> methods,
            List<Thread> calls) {
        return stores -> wrap(Stores.class, stores, (method, result) -> {
            if (method.equals("usage")) {
                return wrap(UsageStore.class, (UsageStore) result, (m, r) -> {
                    if (m.equals("totals")) {
                        budgetReads.add(Thread.currentThread());
                    }
                    return r;
                });
            }
            if (method.equals(name)) {
                return wrap(type, type.cast(result), (m, r) -> {
                    if (methods.contains(m)) {
                        calls.add(Thread.currentThread());
                        clock.advance(Duration.ofSeconds(2));
                    }
                    return r;
                });
            }
            return result;
        });
    }

    /** Settings under which $3 of spend throttles the fleet (30 s slow-downs) and {@code essential} keep working. */
    private static Map<String, String> throttled(String essential) {
        return Map.of(
                "budget-info-usd", "1",
                "budget-warn-usd", "2",
                "budget-throttle-usd", "3",
                "budget-halt-usd", "100",
                "throttle-delay", "30s",
                "essential-agents", essential,
                "reaper-interval", "1h");
    }

    /** What a wrapped call returns, given the method's name and what the real object returned. */
    private interface After {
        Object apply(String method, Object result);
    }

    /** {@code real} behind a proxy of {@code type} that passes every call on, then lets {@code after} see it. */
    private static <T> T wrap(Class<T> type, T real, After after) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method.getName(), result);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
