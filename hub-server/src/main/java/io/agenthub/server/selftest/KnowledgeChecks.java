package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;

import io.agenthub.agent.AgentStatus;
import io.agenthub.auth.Principal;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.digest.Digest;
import io.agenthub.error.HubException;
import io.agenthub.hotstart.HotStart;
import io.agenthub.memory.Memory;
import java.time.Duration;
import java.util.List;

/** Shared memory, checkpoints, hot-start (soul injection) and digests. */
final class KnowledgeChecks {
    private KnowledgeChecks() {}

    private static CheckpointData data(String task, String progress) {
        return new CheckpointData(
                task,
                progress,
                List.of("keep the cache"),
                List.of(),
                List.of("write the test"),
                List.of("a.ts"),
                "",
                0);
    }

    static List<Check> all() {
        return List.of(
                of("memory-remember-recall", "memory", "a memory is found again by its words", s -> {
                    Principal a = s.agent("a1");
                    Memory m = s.hub.memories.remember(
                            a, Memory.Category.LEARNING, "login tokens are cached for five minutes", List.of("auth"));
                    s.hub.memories.remember(a, Memory.Category.DECISION, "we use postgres for billing", List.of());
                    List<Memory> found = s.hub.memories.recall("login cache", List.of(), null, 10);
                    require(!found.isEmpty(), "a match");
                    equal(found.getFirst().id(), m.id(), "the best match");
                    return "recalled " + m.id() + " for 'login cache'";
                }),
                of("memory-filters", "memory", "tag and category filters narrow a recall", s -> {
                    Principal a = s.agent("a1");
                    s.hub.memories.remember(a, Memory.Category.WARNING, "flaky test in auth", List.of("auth", "ci"));
                    s.hub.memories.remember(a, Memory.Category.LEARNING, "auth tokens expire", List.of("auth"));
                    equal(s.hub.memories.recall(null, List.of("ci"), null, 10).size(), 1, "entries tagged ci");
                    equal(
                            s.hub.memories
                                    .recall("auth", List.of(), Memory.Category.LEARNING, 10)
                                    .size(),
                            1,
                            "learnings about auth");
                    return "tag and category filters each left one entry";
                }),
                of("memory-recall-count", "memory", "each recall is counted", s -> {
                    Principal a = s.agent("a1");
                    Memory m = s.hub.memories.remember(a, Memory.Category.PATTERN, "retry with backoff", List.of());
                    s.hub.memories.recall("backoff", List.of(), null, 5);
                    List<Memory> again = s.hub.memories.recall("backoff", List.of(), null, 5);
                    equal(again.getFirst().recallCount(), 2, "recall count");
                    equal(s.hub.memories.get(m.id()).recallCount(), 2, "stored recall count");
                    return "recalled twice, counted twice";
                }),
                of("memory-forget", "memory", "a forgotten memory is never returned again", s -> {
                    Principal a = s.agent("a1");
                    Memory m = s.hub.memories.remember(a, Memory.Category.DISCOVERY, "temporary note", List.of());
                    s.hub.memories.forget(a, m.id());
                    refused(HubException.NotFound.class, () -> s.hub.memories.get(m.id()), "reading it");
                    equal(
                            s.hub.memories
                                    .recall("temporary", List.of(), null, 10)
                                    .size(),
                            0,
                            "search results");
                    return "forgotten by its author; gone from reads and search";
                }),
                of("memory-forget-not-author", "memory", "only the author or an admin forgets a memory", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Memory m = s.hub.memories.remember(a, Memory.Category.DECISION, "keep it", List.of());
                    refused(HubException.Forbidden.class, () -> s.hub.memories.forget(b, m.id()), "b1 forgetting");
                    s.hub.memories.forget(s.admin, m.id());
                    return "b1 refused; the admin may";
                }),
                of("checkpoint-save-latest", "checkpoints", "saves get consecutive versions; latest is newest", s -> {
                    Principal a = s.agent("a1");
                    Checkpoint v1 = s.hub.checkpoints.save(a, data("fix login", "repro"));
                    Checkpoint v2 = s.hub.checkpoints.save(a, data("fix login", "fixed"));
                    equal(v2.version(), v1.version() + 1, "the second version");
                    equal(s.hub.checkpoints.latest(a).orElseThrow().progress(), "fixed", "the latest progress");
                    equal(s.hub.checkpoints.get(a, v1.version()).progress(), "repro", "version 1's progress");
                    return "v" + v1.version() + " and v" + v2.version() + "; latest is v" + v2.version();
                }),
                of("checkpoint-pruning", "checkpoints", "only the newest versions are kept", s -> {
                    Principal a = s.agent("a1");
                    for (int i = 1; i <= 22; i++) {
                        s.hub.checkpoints.save(a, data("t", "step " + i));
                    }
                    List<Checkpoint> kept = s.hub.checkpoints.versions(a, 100);
                    equal(kept.size(), 20, "versions kept");
                    equal(kept.getLast().version(), 3L, "the oldest kept version");
                    return "22 saves, versions 3 to 22 kept";
                }),
                of("checkpoint-private", "checkpoints", "an agent reads only its own checkpoints", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.hub.checkpoints.save(a, data("secret plan", ""));
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.checkpoints.latest(b, "a1"),
                            "b1 reading a1's checkpoint");
                    equal(s.hub.checkpoints.latest(s.admin, "a1").orElseThrow().currentTask(), "secret plan", "admin");
                    return "b1 refused; admin reads a1's";
                }),
                of(
                        "hot-start-bundle",
                        "hot-start",
                        "soul injection brings back checkpoint, leases, inbox, memory",
                        s -> {
                            Principal a = s.agent("a1");
                            Principal b = s.agent("b1");
                            s.hub.agents.heartbeat(a, AgentStatus.BUSY, "fix login", null);
                            s.hub.checkpoints.save(a, data("fix login", "repro found"));
                            s.hub.leases.acquire(a, "src/login.ts", 600L, "");
                            s.hub.messages.dm(b, "a1", "are you done with login?");
                            s.hub.memories.remember(b, Memory.Category.LEARNING, "login tokens are cached", List.of());
                            HotStart h = s.hub.hotStart.build(a, null, null);
                            require(
                                    h.checkpoint() != null
                                            && h.checkpoint().progress().equals("repro found"),
                                    "checkpoint");
                            equal(h.leases().size(), 1, "leases in the bundle");
                            equal(h.inbox().size(), 1, "unread messages in the bundle");
                            require(!h.memories().isEmpty(), "a relevant memory");
                            require(
                                    h.prompt().contains("repro found")
                                            && h.prompt().contains("src/login.ts"),
                                    "the prompt");
                            return "bundle of " + h.promptChars() + " characters with checkpoint, lease, DM and memory";
                        }),
                of("hot-start-budget", "hot-start", "the prompt never exceeds the requested size", s -> {
                    Principal a = s.agent("a1");
                    s.hub.checkpoints.save(
                            a, new CheckpointData("t", "p".repeat(5000), null, null, null, null, null, 0));
                    for (int i = 0; i < 20; i++) {
                        s.hub.messages.post(a, "general", "chatter " + i + " " + "x".repeat(200), null);
                    }
                    HotStart h = s.hub.hotStart.build(a, null, 600);
                    require(h.promptChars() <= 600, "at most 600 characters, got " + h.promptChars());
                    return h.promptChars() + " characters within a 600 budget; omitted " + h.omitted();
                }),
                of("digest", "digest", "a digest shows who is online and what needs attention", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                    s.hub.messages.post(b, "general", "@a1 the build broke", null);
                    Digest d = s.hub.digest.build(a, null, null);
                    require(d.online().stream().anyMatch(o -> o.id().equals("a1")), "a1 online");
                    equal(d.attention().mentions().size(), 1, "mentions needing attention");
                    Digest ops =
                            s.hub.digest.build(s.admin, "ops", s.clock.instant().minus(Duration.ofHours(1)));
                    require(!ops.registered() && ops.markdown().contains("operator view"), "the operator view");
                    return "digest with 1 mention; operator view works";
                }));
    }
}
