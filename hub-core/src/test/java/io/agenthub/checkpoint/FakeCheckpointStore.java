package io.agenthub.checkpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A checkpoint store for service tests. */
final class FakeCheckpointStore implements CheckpointStore {
    private final Map<String, List<Checkpoint>> byAgent = new HashMap<>();
    int lastKeep;

    @Override
    public synchronized Checkpoint save(String agentId, CheckpointData data, Instant now, int keep) {
        lastKeep = keep;
        List<Checkpoint> list = byAgent.computeIfAbsent(agentId, a -> new ArrayList<>());
        long version = list.isEmpty() ? 1 : list.getFirst().version() + 1;
        Checkpoint checkpoint = Checkpoint.of(agentId, version, data, now);
        list.addFirst(checkpoint);
        while (list.size() > keep) {
            list.removeLast();
        }
        return checkpoint;
    }

    @Override
    public synchronized Optional<Checkpoint> latest(String agentId) {
        return versions(agentId, 1).stream().findFirst();
    }

    @Override
    public synchronized List<Checkpoint> versions(String agentId, int limit) {
        return byAgent.getOrDefault(agentId, List.of()).stream().limit(limit).toList();
    }

    @Override
    public synchronized Optional<Checkpoint> version(String agentId, long version) {
        return byAgent.getOrDefault(agentId, List.of()).stream()
                .filter(c -> c.version() == version)
                .findFirst();
    }
}
