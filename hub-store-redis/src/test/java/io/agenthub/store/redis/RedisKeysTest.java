package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.Agent;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Credential;
import io.agenthub.auth.Role;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.memory.Memory;
import io.agenthub.message.NewMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The key layout: every key the stores write carries the prefix and a hash tag, so that each domain's keys (and each
 * agent's checkpoints) share one Redis Cluster slot, as the scripts that touch several of them require.
 */
class RedisKeysTest {
    private static final Pattern KEY =
            Pattern.compile("\\{(lease|agent|auth|audit|msg|mem|progress|usage|budget|cp:[^}]*)}:.+");

    @Test
    void every_key_has_the_prefix_and_a_domain_tag_and_each_tag_is_one_slot() {
        Instant now = Instant.now();
        List<String> keys;
        String prefix;
        try (RedisStores stores = RedisFixture.fresh()) {
            prefix = stores.prefix();
            stores.leases().tryAcquire("src/a/", "alice", Duration.ofMinutes(1), "", now);
            stores.leases().tryAcquire("src/b.txt", "bob", Duration.ofMinutes(1), "", now);
            stores.agents().create(Agent.fresh("alice", "Alice", Role.AGENT, List.of(), Map.of(), now));
            stores.credentials().add(new Credential("c1", "h1", Credential.Kind.TOKEN, "alice", Role.AGENT, now, null));
            stores.audit().append(new AuditEvent(0, now, "hub", "x", "y", Map.of()));
            stores.messages().append(NewMessage.chat("general", "alice", "hi @bob", "", List.of("bob"), now));
            stores.memories()
                    .add(Memory.fresh("m1", Memory.Category.DISCOVERY, "pool size", List.of("db"), "alice", now));
            stores.checkpoints().save("alice", new CheckpointData("t", "", null, null, null, null, "", 0), now, 5);
            stores.checkpoints().save("bob", new CheckpointData("t", "", null, null, null, null, "", 0), now, 5);
            stores.progress().progress("alice", now);
            stores.usage()
                    .record(new io.agenthub.usage.UsageEntry(
                            "2026-01-01", "alice", "web", "model", new io.agenthub.usage.Tally(1, 2, 3, 4, 5, 6)));
            stores.budgets()
                    .raise(new io.agenthub.usage.BudgetAlert(
                            "2026-01-01", "fleet", io.agenthub.usage.BudgetLevel.HALT, 1, now));
            stores.budgets().admit("alice", Duration.ofMinutes(1), now);
            stores.handoffs()
                    .create(new io.agenthub.handoff.NewHandoff(
                            io.agenthub.handoff.Handoff.Kind.MANUAL,
                            "alice",
                            io.agenthub.handoff.Target.parse("agent:bob"),
                            null,
                            "t",
                            "",
                            List.of(),
                            List.of(),
                            List.of("src/a/"),
                            0,
                            now,
                            now.plusSeconds(60),
                            "k"));
            keys = scan(prefix + "*");
        }
        assertThat(keys).isNotEmpty();
        Map<String, Set<Integer>> slotsByTag = new HashMap<>();
        for (String key : keys) {
            assertThat(key).startsWith(prefix);
            Matcher m = KEY.matcher(key.substring(prefix.length()));
            assertThat(m.matches()).as("key %s has a domain tag", key).isTrue();
            slotsByTag.computeIfAbsent(m.group(1), t -> new HashSet<>()).add(SlotHash.getSlot(key));
        }
        assertThat(slotsByTag.keySet())
                .contains(
                        "lease",
                        "agent",
                        "auth",
                        "audit",
                        "msg",
                        "mem",
                        "progress",
                        "usage",
                        "budget",
                        "cp:alice",
                        "cp:bob");
        slotsByTag.forEach(
                (tag, slots) -> assertThat(slots).as("slots of %s", tag).hasSize(1));
    }

    @Test
    void a_prefix_with_braces_or_spaces_is_refused() {
        assertThatThrownBy(() -> new RedisKeys("hub{x}:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisKeys("my hub:")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RedisKeys("").lease("a")).isEqualTo("{lease}:r:a");
    }

    private static List<String> scan(String pattern) {
        RedisClient client = RedisClient.create(LocalRedisServer.shared().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> out = new ArrayList<>();
            ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(pattern).limit(1000))
                    .forEachRemaining(out::add);
            return out;
        } finally {
            client.shutdown();
        }
    }
}
