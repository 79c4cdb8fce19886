package io.agenthub.checkpoint;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lifecycle.Activity;
import io.agenthub.text.AgentText;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saving and reading checkpoints. A checkpoint is always saved under the caller's own id, taken from its credential.
 * Agents read only their own checkpoints; admins may read any agent's by naming it.
 */
public final class CheckpointService {
    /** The most versions one listing returns. */
    public static final int MAX_LIST = 100;

    private final CheckpointStore store;
    private final CheckpointPolicy policy;
    private final InstantSource clock;
    private final Activity activity;
    private final AgentText cleaner;

    public CheckpointService(CheckpointStore store, CheckpointPolicy policy, InstantSource clock) {
        this(store, policy, clock, Activity.NONE);
    }

    /** @param activity told of every save (progress) */
    public CheckpointService(CheckpointStore store, CheckpointPolicy policy, InstantSource clock, Activity activity) {
        this(store, policy, clock, activity, AgentText.PLAIN);
    }

    /**
     * @param cleaner cleans every text field before it is stored: other agents read checkpoints in handoffs, hot-start
     *     and the MCP resources (see {@link AgentText})
     */
    public CheckpointService(
            CheckpointStore store, CheckpointPolicy policy, InstantSource clock, Activity activity, AgentText cleaner) {
        this.cleaner = cleaner;
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.activity = activity;
    }

    /** Saves {@code data} as the caller's next version and prunes to the policy's {@code keep} newest. */
    public Checkpoint save(Principal caller, CheckpointData data) {
        caller.requireWriter();
        if (data == null) {
            throw new HubException.InvalidRequest("A checkpoint needs a body.");
        }
        Require.utf8("currentTask", data.currentTask(), policy.maxTextBytes());
        Require.utf8("progress", data.progress(), policy.maxTextBytes());
        Require.utf8("context", data.context(), policy.maxContextBytes());
        items("decisions", data.decisions());
        items("blockers", data.blockers());
        items("pendingWork", data.pendingWork());
        items("filesTouched", data.filesTouched());
        Require.range("contextTokens", data.contextTokens(), 0, 100_000_000);
        checkTotal(caller, data);
        CheckpointData clean = new CheckpointData(
                cleaner.clean(data.currentTask()),
                cleaner.clean(data.progress()),
                cleaner.clean(data.decisions()),
                cleaner.clean(data.blockers()),
                cleaner.clean(data.pendingWork()),
                cleaner.clean(data.filesTouched()),
                cleaner.clean(data.context()),
                data.contextTokens());
        Checkpoint saved = store.save(caller.id(), clean, clock.instant(), policy.keep());
        activity.progressed(caller.id());
        return saved;
    }

    /** The checkpoint quota: all its text together, which with {@code keep} bounds an agent's checkpoint storage. */
    private void checkTotal(Principal caller, CheckpointData data) {
        long total = bytes(data.currentTask()) + bytes(data.progress()) + bytes(data.context());
        for (List<String> list :
                java.util.Arrays.asList(data.decisions(), data.blockers(), data.pendingWork(), data.filesTouched())) {
            if (list != null) {
                for (String item : list) {
                    total += bytes(item);
                }
            }
        }
        if (total > policy.maxTotalBytes()) {
            throw new HubException.TooLarge(
                    "The checkpoint of " + caller.id() + " holds " + total + " bytes of text; the quota"
                            + " checkpoint-max-bytes is " + policy.maxTotalBytes() + " (the newest " + policy.keep()
                            + " are kept). Free space by summarising the context and moving lasting notes into"
                            + " memories, then save again.",
                    Map.of("quota", "checkpoint-max-bytes", "limit", policy.maxTotalBytes(), "actual", total));
        }
    }

    private static long bytes(String s) {
        return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The caller's newest checkpoint, if any. */
    public Optional<Checkpoint> latest(Principal caller) {
        return latest(caller, null);
    }

    /** The newest checkpoint of {@code agentId} (the caller if null); only admins may name another agent. */
    public Optional<Checkpoint> latest(Principal caller, String agentId) {
        return store.latest(owner(caller, agentId));
    }

    /** The caller's retained checkpoints, newest first. */
    public List<Checkpoint> versions(Principal caller, Integer limit) {
        return versions(caller, null, limit);
    }

    /**
     * The retained checkpoints of {@code agentId} (the caller if null), newest first; {@code limit} defaults to the
     * number kept. Only admins may name another agent.
     */
    public List<Checkpoint> versions(Principal caller, String agentId, Integer limit) {
        String owner = owner(caller, agentId);
        int n = limit == null ? Math.min(policy.keep(), MAX_LIST) : (int) Require.range("limit", limit, 1, MAX_LIST);
        return store.versions(owner, n);
    }

    /** One version of the caller's checkpoints, or {@link HubException.NotFound}. */
    public Checkpoint get(Principal caller, long version) {
        return get(caller, null, version);
    }

    /** One version of {@code agentId}'s checkpoints (the caller if null); only admins may name another agent. */
    public Checkpoint get(Principal caller, String agentId, long version) {
        String owner = owner(caller, agentId);
        Require.range("version", version, 1, Long.MAX_VALUE);
        return store.version(owner, version)
                .orElseThrow(() -> new HubException.NotFound("No checkpoint version " + version + " of " + owner
                        + "; only the newest " + policy.keep() + " are kept. List the versions to see which exist."));
    }

    private static String owner(Principal caller, String agentId) {
        if (agentId == null || agentId.isBlank() || agentId.equals(caller.id())) {
            return caller.id();
        }
        Require.id("agentId", agentId);
        if (!caller.isAdmin()) {
            throw new HubException.Forbidden(
                    "An agent may read only its own checkpoints; leave out agentId, or use an admin token.");
        }
        return agentId;
    }

    private void items(String field, List<String> values) {
        Require.list(field, values, policy.maxListItems(), Integer.MAX_VALUE);
        for (String value : values) {
            Require.utf8(field, value, policy.maxItemBytes());
        }
    }
}
