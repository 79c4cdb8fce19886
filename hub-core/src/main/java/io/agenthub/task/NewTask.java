package io.agenthub.task;

import java.time.Instant;
import java.util.List;

/**
 * What a creator asks for; {@link TaskService} validates and bounds it before the store sees it.
 *
 * @param priority higher is claimed first, from -100 to 100
 * @param pool the agent pool that may claim it (agents' label {@code pool}); {@code default} when empty
 * @param capabilities every one of them must be among the claiming agent's capabilities
 * @param version when not empty, only agents that report exactly this version claim it
 * @param resources lease names (files, zones ending in {@code /}) leased to the claimer with the claim
 * @param dependsOn ids of tasks that must be done before this one can be claimed
 * @param deadline when set, a task still unclaimed at this instant dies instead of being claimed
 * @param maxAttempts claims (failed or expired) allowed before the task is dead
 */
public record NewTask(
        String title,
        String body,
        int priority,
        List<String> labels,
        String pool,
        List<String> capabilities,
        String version,
        List<String> resources,
        List<String> dependsOn,
        Instant deadline,
        int maxAttempts) {
    public NewTask {
        body = body == null ? "" : body;
        labels = labels == null ? List.of() : List.copyOf(labels);
        pool = pool == null || pool.isEmpty() ? Task.DEFAULT_POOL : pool;
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        version = version == null ? "" : version;
        resources = resources == null ? List.of() : List.copyOf(resources);
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
