package io.agenthub.flag;

import io.agenthub.agent.Agent;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.task.TaskService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Feature flags: admins define them; agents read them evaluated for themselves. Evaluation is local: the node keeps
 * the definitions in memory under the store's version number and reloads them only when a read of that number shows a
 * change (by any node).
 */
public final class FlagService {
    /** Most flags. */
    public static final int MAX_FLAGS = 500;
    /** Most rules of one flag. */
    public static final int MAX_RULES = 50;
    /** Most ids, pools or versions in one rule. */
    public static final int MAX_ITEMS = 200;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final FlagStore store;
    private final Function<String, Optional<Agent>> agents;
    private final InstantSource clock;
    private final Consumer<String> announce;
    private volatile AuditLog audit;
    private volatile Cache cache = new Cache(-1, Map.of());

    private record Cache(long version, Map<String, Flag> flags) {}

    /** Why a flag has its value, in OpenFeature's words. */
    public enum Reason {
        STATIC,
        DEFAULT,
        TARGETING_MATCH,
        SPLIT,
        DISABLED
    }

    /**
     * One flag evaluated for one agent.
     *
     * @param variant {@code default}, or {@code rule-<n>} for the n-th rule (from 1)
     */
    public record Evaluation(String key, Object value, String type, String variant, Reason reason) {}

    /** Every flag evaluated for one agent, under the definitions' version. */
    public record Evaluated(long version, String agentId, List<Evaluation> flags) {
        /** Key to value. */
        public Map<String, Object> values() {
            Map<String, Object> out = new LinkedHashMap<>();
            flags.forEach(f -> out.put(f.key(), f.value()));
            return out;
        }
    }

    /**
     * @param agents looks agents up by id (pool and version for the rules)
     * @param announce posts a change where agents see it (a channel that {@code /api/events} carries)
     */
    public FlagService(
            FlagStore store, Function<String, Optional<Agent>> agents, InstantSource clock, Consumer<String> announce) {
        this.store = store;
        this.agents = agents;
        this.clock = clock;
        this.announce = announce;
    }

    /** Every definition, by key (admins). */
    public List<Flag> definitions(Principal caller) {
        caller.requireAdmin();
        return List.copyOf(current().flags().values());
    }

    /** Records every change of a flag (who set or deleted which) in {@code audit} from now on. */
    public FlagService audited(AuditLog audit) {
        this.audit = audit;
        return this;
    }

    /** Creates or replaces a flag. */
    public Flag set(Principal caller, Flag spec) {
        caller.requireAdmin();
        Flag flag = check(spec, caller.id());
        Map<String, Flag> now = current().flags();
        if (!now.containsKey(flag.key()) && now.size() >= MAX_FLAGS) {
            throw new HubException.TooLarge(
                    "There are already " + MAX_FLAGS + " flags, the most the hub keeps; delete unused ones first.",
                    Map.of("field", "key"));
        }
        long version = store.put(flag);
        record(
                caller,
                "flag.set",
                flag.key(),
                Map.of(
                        "enabled",
                        Boolean.toString(flag.enabled()),
                        "type",
                        flag.type().name().toLowerCase(java.util.Locale.ROOT),
                        "version",
                        Long.toString(version)));
        changed(version, "Flag " + flag.key() + " set by " + caller.id());
        return flag;
    }

    /** Deletes a flag; agents get no value for it from now on. */
    public void delete(Principal caller, String key) {
        caller.requireAdmin();
        long version = store.delete(checkKey(key));
        if (version < 0) {
            throw new HubException.NotFound("No flag " + key + "; list them with hub flags list.");
        }
        record(caller, "flag.delete", key, Map.of("version", Long.toString(version)));
        changed(version, "Flag " + key + " deleted by " + caller.id());
    }

    private void record(Principal caller, String action, String key, Map<String, String> details) {
        AuditLog log = audit;
        if (log != null) {
            log.record(caller.id(), action, key, details);
        }
    }

    private void changed(long version, String what) {
        try {
            announce.accept(what + " (flags version " + version + "); agents read theirs with GET /api/flags.");
        } catch (RuntimeException e) {
            // The change is stored; the notice is a courtesy.
        }
    }

    /** Every flag evaluated for the caller (an agent, or an admin as itself without pool or version). */
    public Evaluated evaluate(Principal caller) {
        return evaluate(caller.id());
    }

    /** Every flag evaluated for {@code agentId} (its pool and version from its labels, when it is an agent). */
    public Evaluated evaluate(String agentId) {
        Cache c = current();
        Optional<Agent> agent = agents.apply(agentId);
        String pool = agent.map(TaskService::poolOf).orElse("");
        String version = agent.map(TaskService::versionOf).orElse("");
        List<Evaluation> out = new ArrayList<>();
        for (Flag f : c.flags().values()) {
            out.add(evaluate(f, agentId, pool, version));
        }
        return new Evaluated(c.version(), agentId, out);
    }

    /** One flag for {@code agentId}; empty if there is no such flag. */
    public Optional<Evaluation> evaluate(String agentId, String key) {
        return evaluate(agentId).flags().stream()
                .filter(e -> e.key().equals(key))
                .findFirst();
    }

    static Evaluation evaluate(Flag f, String agentId, String pool, String version) {
        if (!f.enabled()) {
            return new Evaluation(f.key(), f.defaultValue(), f.type().label(), "default", Reason.DISABLED);
        }
        for (int i = 0; i < f.rules().size(); i++) {
            Flag.Rule r = f.rules().get(i);
            boolean match = (r.agents().isEmpty() || r.agents().contains(agentId))
                    && (r.pools().isEmpty() || r.pools().contains(pool))
                    && (r.versions().isEmpty() || r.versions().contains(version))
                    && (r.percent() == null || bucket(f.key(), agentId) < r.percent());
            if (match) {
                boolean split = r.percent() != null
                        && r.agents().isEmpty()
                        && r.pools().isEmpty()
                        && r.versions().isEmpty();
                return new Evaluation(
                        f.key(),
                        r.value(),
                        f.type().label(),
                        "rule-" + (i + 1),
                        split ? Reason.SPLIT : Reason.TARGETING_MATCH);
            }
        }
        return new Evaluation(
                f.key(),
                f.defaultValue(),
                f.type().label(),
                "default",
                f.rules().isEmpty() ? Reason.STATIC : Reason.DEFAULT);
    }

    /** 0 to 99, fixed by the flag and the agent: the first four bytes of SHA-256 of {@code key/agentId}, mod 100. */
    static int bucket(String key, String agentId) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256").digest((key + "/" + agentId).getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
            return (int) (v % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The definitions, reloaded only when the store's version moved. */
    private Cache current() {
        long v = store.version();
        Cache c = cache;
        if (c.version() == v) {
            return c;
        }
        Map<String, Flag> flags = new LinkedHashMap<>();
        store.list().forEach(f -> flags.put(f.key(), f));
        // A change between the version read and the list is picked up by the next read, whose version differs.
        Cache fresh = new Cache(v, Map.copyOf(flags));
        cache = fresh;
        return new Cache(v, flags);
    }

    private Flag check(Flag spec, String by) {
        if (spec == null) {
            throw new HubException.InvalidRequest("A flag needs a body with type and defaultValue.");
        }
        String key = checkKey(spec.key());
        Object def = value("defaultValue", spec.type(), spec.defaultValue());
        if (spec.rules().size() > MAX_RULES) {
            throw new HubException.TooLarge("A flag has at most " + MAX_RULES + " rules.", Map.of("field", "rules"));
        }
        List<Flag.Rule> rules = new ArrayList<>();
        for (Flag.Rule r : spec.rules()) {
            if (r.percent() != null) {
                Require.range("percent", r.percent(), 0, 100);
            }
            for (List<String> l : List.of(r.agents(), r.pools(), r.versions())) {
                Require.list("rule entries", l, MAX_ITEMS, 128);
            }
            rules.add(new Flag.Rule(
                    r.agents(), r.pools(), r.versions(), r.percent(), value("rule value", spec.type(), r.value())));
        }
        return new Flag(
                key,
                spec.type(),
                def,
                rules,
                spec.enabled(),
                Require.optional("description", spec.description(), 1024),
                by,
                clock.instant());
    }

    private static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new HubException.InvalidRequest(
                    "A flag key is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit; got '"
                            + key + "'.",
                    Map.of("field", "key"));
        }
        return key;
    }

    /** The value as its type's Java class, or a 400 that names the field. */
    static Object value(String field, Flag.Type type, Object v) {
        if (type == null) {
            throw new HubException.InvalidRequest("type must be boolean, string or number.", Map.of("field", "type"));
        }
        Object out = switch (type) {
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case STRING -> v instanceof String s && s.length() <= 4096 ? s : null;
            case NUMBER -> v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
        };
        if (out == null) {
            throw new HubException.InvalidRequest(
                    field + " must be a " + type.label() + " (a " + type.label() + " flag); got " + v + ".",
                    Map.of("field", field));
        }
        return out;
    }
}
