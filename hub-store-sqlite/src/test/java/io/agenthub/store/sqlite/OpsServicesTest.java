package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.Agent;
import io.agenthub.alert.AlertEngine;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertNotifier;
import io.agenthub.alert.AlertRule;
import io.agenthub.alert.AlertState;
import io.agenthub.alert.Reading;
import io.agenthub.alert.Severity;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.ops.CounterStore;
import io.agenthub.ops.Counters;
import io.agenthub.store.Stores;
import io.agenthub.tck.MutableClock;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.TierPolicy;
import io.agenthub.tier.TierService;
import io.agenthub.tier.Work;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert engine, the tier service and the counters on a real store, time moved by hand. */
class OpsServicesTest {
    private final MutableClock clock = MutableClock.atSomeFixedTime();
    private Stores stores;

    @BeforeEach
    void open() throws Exception {
        stores = SqliteFixture.fresh();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private AlertEngine engine(AtomicReference<Reading> reading, Duration hold, List<AlertEvent> sink) {
        AlertRule rule = new AlertRule("Probe", Severity.WARNING, hold, "x > 1", "", Tier.REDUCED, reading::get);
        AlertNotifier notifier = (e, r) -> sink.add(e);
        return new AlertEngine(stores.alerts(), List.of(rule), List.of(notifier), clock);
    }

    @Test
    void an_alert_goes_pending_fires_after_its_hold_once_and_resolves_once() {
        AtomicReference<Reading> reading = new AtomicReference<>(new Reading(0.0, false, "fine"));
        List<AlertEvent> sent = new ArrayList<>();
        AlertEngine engine = engine(reading, Duration.ofMinutes(5), sent);
        assertThat(engine.evaluate()).isEmpty();

        reading.set(new Reading(2.0, true, "high"));
        Instant started = clock.instant();
        engine.evaluate();
        assertThat(engine.status().getFirst().state().status()).isEqualTo(AlertState.Status.PENDING);
        clock.advance(Duration.ofMinutes(4));
        assertThat(engine.evaluate()).isEmpty();
        reading.set(new Reading(0.5, false, "dipped"));
        engine.evaluate();
        assertThat(engine.status().getFirst().state().status())
                .as("a dip resets the hold")
                .isEqualTo(AlertState.Status.INACTIVE);

        reading.set(new Reading(2.0, true, "high again"));
        engine.evaluate();
        clock.advance(Duration.ofMinutes(5));
        List<AlertEvent> fired = engine.evaluate();
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AlertEvent.Kind.FIRING);
            assertThat(e.startedAt()).isEqualTo(started.plus(Duration.ofMinutes(4)));
        });
        assertThat(engine.demandedTiers()).containsEntry("Probe", Tier.REDUCED);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(engine.evaluate()).isEmpty();
        }
        reading.set(new Reading(0.0, false, "fine"));
        assertThat(engine.evaluate()).extracting(AlertEvent::kind).containsExactly(AlertEvent.Kind.RESOLVED);
        assertThat(engine.demandedTiers()).isEmpty();
        assertThat(sent).extracting(AlertEvent::kind).containsExactly(AlertEvent.Kind.FIRING, AlertEvent.Kind.RESOLVED);
        assertThat(engine.history(10)).hasSize(2);
    }

    @Test
    void two_nodes_evaluating_the_same_rule_send_each_transition_once() throws Exception {
        AtomicReference<Reading> reading = new AtomicReference<>(new Reading(2.0, true, "high"));
        List<AlertEvent> sent = new CopyOnWriteArrayList<>();
        AlertEngine a = engine(reading, Duration.ZERO, sent);
        AlertEngine b = engine(reading, Duration.ZERO, sent);
        Thread t1 = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 20; i++) {
                a.evaluate();
            }
        });
        Thread t2 = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 20; i++) {
                b.evaluate();
            }
        });
        t1.join();
        t2.join();
        assertThat(sent).hasSize(1);
    }

    @Test
    void a_rule_that_cannot_be_evaluated_keeps_its_state_and_a_removed_rule_resolves() {
        AtomicReference<Reading> reading = new AtomicReference<>(new Reading(2.0, true, "high"));
        List<AlertEvent> sent = new ArrayList<>();
        engine(reading, Duration.ZERO, sent).evaluate();
        AlertRule broken = new AlertRule("Probe", Severity.WARNING, Duration.ZERO, "x", "", null, () -> {
            throw new IllegalStateException("source down");
        });
        AlertEngine withBroken = new AlertEngine(stores.alerts(), List.of(broken), List.of(), clock);
        assertThat(withBroken.evaluate()).isEmpty();
        assertThat(withBroken.status().getFirst().state().status()).isEqualTo(AlertState.Status.FIRING);
        assertThat(withBroken.status().getFirst().lastReading().summary()).contains("source down");

        AlertEngine without = new AlertEngine(stores.alerts(), List.of(), List.of(), clock);
        assertThat(without.evaluate())
                .singleElement()
                .satisfies(e -> assertThat(e.summary()).contains("disabled or removed"));
    }

    private TierService tiers(List<String> announced) {
        return new TierService(
                stores.tiers(),
                new TierPolicy("core=true", Duration.ofSeconds(30), "solo", Duration.ZERO),
                id -> stores.agents().find(id),
                announced::add,
                new AuditLog(stores.audit(), clock),
                clock);
    }

    @Test
    void the_tier_in_force_is_the_higher_of_the_admin_baseline_and_firing_rules() {
        List<String> announced = new ArrayList<>();
        TierService tiers = tiers(announced);
        Principal admin = new Principal(Principal.ADMIN_ID, Role.ADMIN);
        assertThat(tiers.current().tier()).isEqualTo(Tier.FULL);

        assertThat(tiers.reconcile(Map.of("ErrorStorm", Tier.REDUCED))).isPresent();
        assertThat(tiers.current().tier()).isEqualTo(Tier.REDUCED);
        assertThat(tiers.current().actor()).isEqualTo("rule:ErrorStorm");
        assertThat(tiers.reconcile(Map.of("ErrorStorm", Tier.REDUCED)))
                .as("idempotent")
                .isEmpty();

        TierChange set = tiers.set(admin, 1, "all clear", null, Map.of("ErrorStorm", Tier.REDUCED));
        assertThat(set.baseline()).isEqualTo(Tier.FULL);
        assertThat(set.tier()).as("the rule still fires").isEqualTo(Tier.REDUCED);
        assertThat(set.reason()).contains("stays in force while rule ErrorStorm fires");

        tiers.set(admin, 4, "data inconsistency", null, Map.of("ErrorStorm", Tier.REDUCED));
        assertThat(tiers.current().tier()).isEqualTo(Tier.MAINTENANCE);
        assertThat(tiers.reconcile(Map.of()))
                .as("the rule clearing does not lower an admin's tier 4")
                .isEmpty();

        tiers.set(admin, 1, "reconciled", null, Map.of("BudgetHalt", Tier.MAINTENANCE));
        assertThat(tiers.current().tier()).isEqualTo(Tier.MAINTENANCE);
        tiers.reconcile(Map.of());
        assertThat(tiers.current().tier()).isEqualTo(Tier.FULL);
        assertThat(tiers.current().reason()).contains("back to the baseline");
        assertThat(announced)
                .as("every admin action and every automatic change")
                .hasSize(5);
        assertThat(tiers.history(100)).hasSize(5);
    }

    @Test
    void admission_follows_the_tier_table() {
        stores.agents()
                .create(Agent.fresh("core-1", "", Role.AGENT, List.of(), Map.of("core", "true"), clock.instant()));
        stores.agents().create(Agent.fresh("solo", "", Role.AGENT, List.of(), Map.of(), clock.instant()));
        TierService tiers = tiers(new ArrayList<>());
        Principal admin = new Principal(Principal.ADMIN_ID, Role.ADMIN);
        Principal core = new Principal("core-1", Role.AGENT);
        Principal solo = new Principal("solo", Role.AGENT);
        Principal other = new Principal("other", Role.AGENT);

        tiers.set(admin, 2, "r", null, Map.of());
        tiers.admit(core, Work.NEW_WORK);
        tiers.admit(other, Work.WRITE);
        assertThatThrownBy(() -> tiers.admit(other, Work.NEW_WORK)).isInstanceOf(HubException.Unavailable.class);
        assertThatThrownBy(() -> tiers.admit(null, Work.NEW_WORK)).isInstanceOf(HubException.Unavailable.class);

        tiers.set(admin, 3, "r", null, Map.of());
        assertThat(tiers.current().agent())
                .as("the configured designated agent")
                .isEqualTo("solo");
        tiers.admit(solo, Work.NEW_WORK);
        assertThatThrownBy(() -> tiers.admit(core, Work.NEW_WORK)).isInstanceOf(HubException.Unavailable.class);
        assertThatThrownBy(() -> tiers.set(admin, 3, "r", "ghost", Map.of())).isInstanceOf(HubException.NotFound.class);

        tiers.set(admin, 4, "r", null, Map.of());
        tiers.admit(other, Work.READ);
        tiers.admit(other, Work.UPKEEP);
        tiers.admit(admin, Work.NEW_WORK);
        assertThatThrownBy(() -> tiers.admit(core, Work.WRITE))
                .isInstanceOfSatisfying(HubException.Unavailable.class, e -> {
                    assertThat(e.code()).isEqualTo("tier_restricted");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(e.details()).containsEntry("tier", 4);
                });
        assertThatThrownBy(() -> tiers.set(new Principal("core-1", Role.AGENT), 1, "r", null, Map.of()))
                .isInstanceOf(HubException.Forbidden.class);
        assertThatThrownBy(() -> tiers.set(admin, 5, "r", null, Map.of()))
                .isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void a_store_outage_refuses_writes_locally_and_is_recorded_when_the_store_answers() {
        List<String> announced = new ArrayList<>();
        TierService tiers = tiers(announced);
        Principal a = new Principal("a", Role.AGENT);
        tiers.storeDown("disk I/O error");
        tiers.storeDown("disk I/O error");
        assertThat(tiers.current().tier()).isEqualTo(Tier.MAINTENANCE);
        assertThatThrownBy(() -> tiers.admit(a, Work.WRITE))
                .hasMessageContaining("the store is unavailable (disk I/O error)");
        tiers.admit(a, Work.READ);
        clock.advance(Duration.ofMinutes(2));
        tiers.storeUp();
        tiers.storeUp();
        assertThat(tiers.current().tier()).isEqualTo(Tier.FULL);
        assertThat(tiers.history(10)).singleElement().satisfies(c -> {
            assertThat(c.actor()).isEqualTo("rule:StoreUnavailable");
            assertThat(c.reason()).contains("The store was unavailable from");
        });
        assertThat(announced).singleElement().asString().contains("refused writes meanwhile");
    }

    @Test
    void counter_windows_cover_the_current_minute_and_the_ones_before_and_survive_a_failed_flush() {
        Counters counters = new Counters(stores.counters(), clock);
        clock.set(Instant.parse("2026-01-01T12:00:30Z"));
        counters.add(Counters.REQUESTS, 10);
        counters.increment(Counters.SERVER_ERRORS);
        clock.set(Instant.parse("2026-01-01T12:04:59Z"));
        counters.add(Counters.REQUESTS, 10);
        Counters.Window w = counters.window(Duration.ofMinutes(5));
        assertThat(w.get(Counters.REQUESTS)).isEqualTo(20);
        assertThat(w.errorRate()).isEqualTo(0.05);
        clock.set(Instant.parse("2026-01-01T12:05:00Z"));
        assertThat(counters.window(Duration.ofMinutes(5)).get(Counters.REQUESTS))
                .as("12:00 left the window")
                .isEqualTo(10);

        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(false);
        CounterStore flakyStore = new CounterStore() {
            @Override
            public void add(Instant bucketStart, Map<String, Long> deltas) {
                if (!up.get()) {
                    throw new HubException.Unavailable("down", Duration.ofSeconds(1), null);
                }
                stores.counters().add(bucketStart, deltas);
            }

            @Override
            public Map<String, Long> sum(Instant from, Instant to) {
                return stores.counters().sum(from, to);
            }

            @Override
            public int purgeBefore(Instant before) {
                return 0;
            }
        };
        clock.set(Instant.parse("2026-01-01T13:00:00Z"));
        Counters flaky = new Counters(flakyStore, clock);
        flaky.add(Counters.REQUESTS, 7);
        flaky.flush();
        assertThat(stores.counters().sum(clock.instant(), clock.instant().plusSeconds(60)))
                .isEmpty();
        up.set(true);
        flaky.add(Counters.REQUESTS, 1);
        assertThat(flaky.window(Duration.ofMinutes(1)).get(Counters.REQUESTS))
                .as("kept through the outage")
                .isEqualTo(8);
        assertThat(new Counters.Window(Duration.ofMinutes(5), Map.of()).errorRate())
                .isZero();
        assertThat(new Counters.Window(Duration.ofMinutes(5), Map.of(Counters.REPORTED_FAILURES, 3L)).errorRate())
                .as("capped at 1")
                .isEqualTo(1.0);
    }
}
