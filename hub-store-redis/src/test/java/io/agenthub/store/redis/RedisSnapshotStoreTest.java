package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.Agent;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import io.agenthub.tck.SnapshotStoreContract;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The snapshot contract on a single Redis server, and what is particular to Redis: keys, the write pause, undo. */
class RedisSnapshotStoreTest extends SnapshotStoreContract {
    private static final Pattern NUMBERED_JSON = Pattern.compile("\\d+\\|[\\[{].*", Pattern.DOTALL);

    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }

    private static <T> T withRedis(Function<RedisCommands<String, String>, T> action) {
        RedisClient client = RedisClient.create(LocalRedisServer.shared().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return action.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    private static List<SnapshotRecord> export(Stores s) {
        List<SnapshotRecord> out = new ArrayList<>();
        s.snapshots().export(out::add);
        return out;
    }

    @Test
    void a_restore_writes_the_keys_and_indexes_the_scripts_write() throws Exception {
        populate(stores);
        String source = ((RedisStores) stores).prefix();
        try (RedisStores target = RedisFixture.fresh()) {
            target.snapshots().restore(export(stores).iterator());
            Map<String, Object> original = dump(source);
            assertThat(original).containsKeys("{mem}:stats", "{lease}:ho-open", "{msg}:in:bob", "{cp:alice}:ver");
            assertThat(dump(target.prefix())).isEqualTo(original);
        }
    }

    /** Every key under the prefix but the operation counters and the task change counter, by its name after the prefix, with its contents. */
    private static Map<String, Object> dump(String prefix) {
        return withRedis(c -> {
            Map<String, Object> out = new TreeMap<>();
            ScanIterator.scan(
                            c,
                            ScanArgs.Builder.matches(RedisKeys.startingWith(prefix))
                                    .limit(1000))
                    .forEachRemaining(key -> {
                        String name = key.substring(prefix.length());
                        // The task change counter only wakes long-polling claimers: it is not state either.
                        if (!name.startsWith("{ops}") && !name.equals("{lease}:t-changes")) {
                            out.put(name, contents(c, key));
                        }
                    });
            return out;
        });
    }

    private static Object contents(RedisCommands<String, String> c, String key) {
        return switch (c.type(key)) {
            case "string" -> c.get(key);
            case "hash" -> {
                Map<String, Object> m = new TreeMap<>();
                c.hgetall(key).forEach((f, v) -> m.put(f, normalized(v)));
                yield m;
            }
            case "set" -> new TreeSet<>(c.smembers(key));
            case "list" ->
                c.lrange(key, 0, -1).stream()
                        .map(RedisSnapshotStoreTest::normalized)
                        .toList();
            case "zset" ->
                c.zrangeWithScores(key, 0, -1).stream()
                        .map(v -> List.of(normalized(v.getValue()), v.getScore()))
                        .toList();
            case "stream" ->
                c.xrange(key, Range.create("-", "+")).stream()
                        .map(m -> List.of(m.getId(), new TreeMap<>(m.getBody())))
                        .toList();
            default -> throw new AssertionError("unexpected type of " + key);
        };
    }

    /** JSON (also after a {@code <seq>|} head) as a tree: Lua's cjson and Jackson order and escape differently. */
    private static Object normalized(String value) {
        try {
            if (value.startsWith("{") || value.startsWith("[")) {
                return Json.MAPPER.readTree(value);
            }
            if (NUMBERED_JSON.matcher(value).matches()) {
                int bar = value.indexOf('|');
                return List.of(value.substring(0, bar), Json.MAPPER.readTree(value.substring(bar + 1)));
            }
        } catch (RuntimeException e) {
            // Not JSON after all: compare as text.
        }
        return value;
    }

    @Test
    void an_export_pauses_writes_on_the_server_and_ends_the_pause() {
        populate(stores);
        long pausesBefore = calls("client|pause");
        long unpausesBefore = calls("client|unpause");
        export(stores);
        assertThat(calls("client|pause")).isEqualTo(pausesBefore + 1);
        assertThat(calls("client|unpause")).isEqualTo(unpausesBefore + 1);
        long started = System.nanoTime();
        stores.agents().create(Agent.fresh("carol", "Carol", Role.AGENT, List.of(), Map.of(), clock.instant()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        long locks = withRedis(c -> c.exists(RedisKeys.EXPORT_LOCK));
        assertThat(locks).as("the export lock is released").isZero();
    }

    private static long calls(String command) {
        return LocalRedisServer.shared().calls(command);
    }

    @Test
    void an_export_that_outlasts_its_write_pause_fails_instead_of_returning_a_torn_snapshot() {
        populate(stores);
        RedisSnapshotStore hasty = ((RedisStores) stores).snapshots(Duration.ofMillis(1));
        assertThatThrownBy(() -> hasty.export(r -> {}))
                .isInstanceOfSatisfying(
                        HubException.Unavailable.class,
                        e -> assertThat(e.code()).isEqualTo("export_too_slow"));
        assertThat(export(stores)).isNotEmpty();
    }

    @Test
    void a_second_export_waits_for_the_one_pausing_writes() {
        populate(stores);
        withRedis(c -> c.set(RedisKeys.EXPORT_LOCK, "another export", SetArgs.Builder.px(10_000)));
        try {
            assertThatThrownBy(() -> export(stores))
                    .isInstanceOfSatisfying(
                            HubException.Unavailable.class,
                            e -> assertThat(e.code()).isEqualTo("export_running"));
        } finally {
            withRedis(c -> c.del(RedisKeys.EXPORT_LOCK));
        }
        assertThat(export(stores)).isNotEmpty();
    }

    @Test
    void a_redis_user_without_client_pause_gets_a_sentence_naming_the_command() {
        populate(stores);
        String user = "no-pause-" + ProcessHandle.current().pid();
        withRedis(c -> c.aclSetuser(
                user,
                AclSetuserArgs.Builder.on()
                        .addPassword("secret")
                        .allKeys()
                        .allChannels()
                        .allCommands()
                        .removeCommand(CommandType.CLIENT, CommandKeyword.PAUSE)));
        String url = "redis://" + user + ":secret@127.0.0.1:"
                + LocalRedisServer.shared().port();
        try (RedisStores limited = RedisStores.open(url, ((RedisStores) stores).prefix(), RedisFixture.TIMEOUT)) {
            assertThatThrownBy(() -> export(limited))
                    .isInstanceOfSatisfying(
                            HubException.Unavailable.class,
                            e -> assertThat(e.code()).isEqualTo("pause_refused"))
                    .hasMessageContaining("CLIENT PAUSE");
        } finally {
            withRedis(c -> c.aclDeluser(user));
        }
    }

    @Test
    void a_restore_that_fails_half_way_deletes_what_it_wrote() throws Exception {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        try (Stores target = openStores()) {
            Iterator<SnapshotRecord> all = original.iterator();
            Iterator<SnapshotRecord> truncated = new Iterator<>() {
                private int n;

                @Override
                public boolean hasNext() {
                    if (n == original.size() / 2) {
                        throw new HubException.InvalidRequest("This is not a usable snapshot: truncated.");
                    }
                    return all.hasNext();
                }

                @Override
                public SnapshotRecord next() {
                    n++;
                    return all.next();
                }
            };
            assertThatThrownBy(() -> target.snapshots().restore(truncated))
                    .isInstanceOf(HubException.InvalidRequest.class);
            assertThat(target.snapshots().isEmpty()).isTrue();
            assertThat(dump(((RedisStores) target).prefix())).isEmpty();
            target.snapshots().restore(original.iterator());
            assertThat(export(target)).isEqualTo(original);
        }
    }

    @Test
    void an_audit_log_longer_than_one_read_exports_whole_and_in_order() {
        for (int i = 0; i < 5_003; i++) {
            stores.audit().append(new AuditEvent(0, clock.instant(), "hub", "x", "n" + i, Map.of()));
        }
        List<Long> seqs = export(stores).stream()
                .filter(r -> r instanceof SnapshotRecord.AuditRow)
                .map(r -> ((SnapshotRecord.AuditRow) r).event().seq())
                .toList();
        assertThat(seqs).hasSize(5_003).isSorted().startsWith(1L).endsWith(5_003L);
    }

    @Test
    void operation_counters_alone_do_not_make_a_store_non_empty() {
        stores.counters().add(clock.instant(), Map.of("requests", 3L));
        assertThat(stores.snapshots().isEmpty()).isTrue();
        stores.agents().create(Agent.fresh("alice", "Alice", Role.AGENT, List.of(), Map.of(), clock.instant()));
        assertThat(stores.snapshots().isEmpty()).isFalse();
    }
}
