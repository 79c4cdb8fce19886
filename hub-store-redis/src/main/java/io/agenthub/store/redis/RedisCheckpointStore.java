package io.agenthub.store.redis;

import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints in Redis, with keys tagged per agent: a version counter, a sorted set of retained versions and a hash of
 * their JSON. A save takes the next version with {@code INCR}, stores it and prunes in one script, so concurrent saves
 * get distinct, consecutive versions; the counter outlives pruning, so versions keep counting.
 */
final class RedisCheckpointStore implements CheckpointStore {
    private static final LuaScript SAVE = LuaScript.load("checkpoint-save");
    private static final LuaScript VERSIONS = LuaScript.load("checkpoint-versions");

    /** The stored form: a checkpoint without its agent and version, which the keys carry. */
    record Stored(
            String currentTask,
            String progress,
            List<String> decisions,
            List<String> blockers,
            List<String> pendingWork,
            List<String> filesTouched,
            String context,
            long contextTokens,
            long createdAt) {}

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisCheckpointStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Checkpoint save(String agentId, CheckpointData data, Instant now, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
        Instant at = Instant.ofEpochMilli(now.toEpochMilli());
        String json = Json.write(new Stored(
                data.currentTask(),
                data.progress(),
                data.decisions(),
                data.blockers(),
                data.pendingWork(),
                data.filesTouched(),
                data.context(),
                data.contextTokens(),
                at.toEpochMilli()));
        long version = redis.eval(
                SAVE,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys.checkpointVersion(agentId), keys.checkpointVersions(agentId), keys.checkpointData(agentId)
                },
                json,
                Integer.toString(keep));
        return Checkpoint.of(agentId, version, data, at);
    }

    @Override
    public Optional<Checkpoint> latest(String agentId) {
        return versions(agentId, 1).stream().findFirst();
    }

    @Override
    public List<Checkpoint> versions(String agentId, int limit) {
        List<Object> flat = redis.eval(
                VERSIONS,
                ScriptOutputType.MULTI,
                new String[] {keys.checkpointVersions(agentId), keys.checkpointData(agentId)},
                Integer.toString(Math.max(1, limit)));
        List<Checkpoint> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(checkpoint(agentId, Replies.number(flat.get(i)), Replies.string(flat.get(i + 1))));
        }
        return out;
    }

    @Override
    public Optional<Checkpoint> version(String agentId, long version) {
        String json = redis.call("checkpoint", c -> c.hget(keys.checkpointData(agentId), Long.toString(version)));
        return json == null ? Optional.empty() : Optional.of(checkpoint(agentId, version, json));
    }

    /** A checkpoint from its agent, version and stored JSON. */
    private static Checkpoint checkpoint(String agentId, long version, String json) {
        Stored s = Json.read(json, Stored.class);
        return new Checkpoint(
                agentId,
                version,
                s.currentTask(),
                s.progress(),
                s.decisions(),
                s.blockers(),
                s.pendingWork(),
                s.filesTouched(),
                s.context(),
                s.contextTokens(),
                Instant.ofEpochMilli(s.createdAt()));
    }

    /**
     * Checkpoints in snapshots: every retained version, by agent and version, written back as checkpoint-save.lua
     * writes it; each agent's version counter continues above its highest version restored. Checkpoint keys are tagged
     * per agent and have no index, so they are found by their key names.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.CheckpointRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        List<String> agents = x.scan(keys.checkpointStart()).stream()
                                .map(keys::checkpointDataAgent)
                                .filter(a -> a != null)
                                .toList();
                        List<Map<String, String>> data =
                                x.pipe().each(agents, (a, agent) -> a.hgetall(keys.checkpointData(agent)));
                        for (int i = 0; i < agents.size(); i++) {
                            String agent = agents.get(i);
                            RedisSnapshotExport.byNumber(data.get(i))
                                    .forEach((v, json) ->
                                            sink.accept(new SnapshotRecord.CheckpointRow(checkpoint(agent, v, json))));
                        }
                    },
                    (w, row) -> {
                        RedisKeys keys = w.keys();
                        Checkpoint c = row.checkpoint();
                        String json = Json.write(new Stored(
                                c.currentTask(),
                                c.progress(),
                                c.decisions(),
                                c.blockers(),
                                c.pendingWork(),
                                c.filesTouched(),
                                c.context(),
                                c.contextTokens(),
                                c.createdAt().toEpochMilli()));
                        String v = Long.toString(c.version());
                        w.hset(keys.checkpointData(c.agentId()), v, json);
                        w.zadd(keys.checkpointVersions(c.agentId()), c.version(), v);
                        w.raise(keys.checkpointVersion(c.agentId()), c.version());
                    });
}
