package io.agenthub.store.redis;

import java.util.Objects;

/**
 * Every Redis key name of the hub, in one place. A key is {@code <prefix>{<domain>}:<rest>}: the configurable prefix
 * keeps hubs that share a Redis apart, and the hash tag in braces puts all keys of one domain in one Redis Cluster slot,
 * so that each Lua script, which may touch any key of its domain, runs on one node.
 *
 * <p>Domains are tagged separately (leases, agents, messages, memory, credentials, audit) because each script works
 * within one domain; the cost is that in a cluster each domain lives on one master, so a single domain's load does not
 * spread. Checkpoints are the exception: every operation concerns one agent, so their tag is per agent ({@code
 * {cp:<agentId>}}) and they spread over the cluster.
 *
 * <p>Scripts that discover keys at run time (the lease zone scan, the memory word postings) build them from a base
 * passed in as an argument ({@link #leaseBase()}, {@link #memoryBase()}); those keys share the tag of the declared
 * keys, so they stay in the same slot.
 */
final class RedisKeys {
    /**
     * The one key outside every prefix: held (with an expiry) by the export that is pausing writes, because a pause
     * and its end ({@code CLIENT UNPAUSE}) concern the whole server, so two exports, also of different hubs sharing the
     * server, must not pause at once.
     */
    static final String EXPORT_LOCK = "agent-hub:export-pause";

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = check(prefix);
    }

    /** Validates a key prefix: braces would change the hash tags, and whitespace is certainly a mistake. */
    static String check(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.chars().anyMatch(c -> c == '{' || c == '}' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("a Redis key prefix must not contain braces or whitespace");
        }
        return prefix;
    }

    String prefix() {
        return prefix;
    }

    /** A {@code SCAN MATCH} pattern for keys that start with {@code literal}: glob characters in it are escaped. */
    static String startingWith(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
    }

    private String key(String domain, String rest) {
        return prefix + "{" + domain + "}:" + rest;
    }

    /** The start of every domain key under this prefix (a scratch namespace's keys, {@code <prefix>scratch:...}, differ). */
    String domainStart() {
        return prefix + "{";
    }

    // Leases. The script builds r:<resource> and h:<holder> from leaseBase().
    String leaseBase() {
        return key("lease", "");
    }

    /** The latest grant of one resource: a hash (holder, token, acquired, expires, note, released). */
    String lease(String resource) {
        return key("lease", "r:" + resource);
    }

    /**
     * Resources whose grant is not released, as a sorted set with equal scores, so that a zone is a lexicographic
     * range. A release drops the name; a grant that expired unreleased is dropped by the next zone acquire that meets
     * it, or by the purge. Every grant kept, ended ones included, is in {@link #leaseEnds()}.
     */
    String leaseNames() {
        return key("lease", "names");
    }

    /** Resources by the time their grant ends (expiry, or release): for active() and purge. */
    String leaseEnds() {
        return key("lease", "ends");
    }

    /** The resources whose latest grant went to one holder and is not released. */
    String leaseHolder(String holder) {
        return key("lease", "h:" + holder);
    }

    /** The handoff id counter. Handoffs carry the lease tag: accepting one moves leases in the same script. */
    String handoffSeq() {
        return key("lease", "ho-seq");
    }

    /** One handoff's hash, by zero-padded sequence number. */
    String handoff(String seq) {
        return key("lease", "ho:" + seq);
    }

    /** Pending handoffs by expiry. */
    String handoffDue() {
        return key("lease", "ho-due");
    }

    /** Handoffs of one status (score = seq); the handoff scripts build it from {@link #leaseBase()}. */
    String handoffStatus(String status) {
        return key("lease", "ho-st:" + status);
    }

    /** The agents that declined one handoff, in order (a list). */
    String handoffDeclined(String seq) {
        return key("lease", "ho-declined:" + seq);
    }

    /** Hash from dedupe key to the open (pending or accepted) handoff that has it. */
    String handoffOpen() {
        return key("lease", "ho-open");
    }

    /** The fencing token counter. */
    String fence() {
        return key("lease", "fence");
    }

    // Tasks carry the lease tag: a claim leases the task's resources in the same script. The task scripts build the
    // other task keys (t:<id>, t-ev:<id>, t-ready:<pool>, ...; see task-lib.lua) from leaseBase().

    /** One task's hash. */
    String task(String id) {
        return key("lease", "t:" + id);
    }

    /** One task's history: a list of JSON objects. */
    String taskEvents(String id) {
        return key("lease", "t-ev:" + id);
    }

    /** Every task id by number (sorted set, score = number). */
    String taskAll() {
        return key("lease", "t-all");
    }

    /** Queued and retry-waiting tasks of one pool by creation time: depth and oldest without a scan. */
    String taskQueued(String pool) {
        return key("lease", "t-queued:" + pool);
    }

    /** Pools with tasks (sorted set, equal scores). */
    String taskPools() {
        return key("lease", "t-pools");
    }

    /** Ids of the tasks one agent has claimed. */
    String taskHolder(String agentId) {
        return key("lease", "t-holder:" + agentId);
    }

    /** Claimable tasks of one pool, by priority then number (see task-lib.lua). */
    String taskReady(String pool) {
        return key("lease", "t-ready:" + pool);
    }

    /** Claimed tasks by claim expiry. */
    String taskClaimed() {
        return key("lease", "t-claimed");
    }

    /** Retry-waiting tasks by retry time. */
    String taskRetry() {
        return key("lease", "t-retry");
    }

    /** Final tasks by the time they ended (score = epoch ms), for retention. */
    String taskEnded() {
        return key("lease", "t-ended");
    }

    /** The tasks waiting on one task. */
    String taskDeps(String id) {
        return key("lease", "t-deps:" + id);
    }

    /** The task number counter. */
    String taskSeq() {
        return key("lease", "t-seq");
    }

    /** The change counter that the task signal carries. */
    String taskChanges() {
        return key("lease", "t-changes");
    }

    /** The pub/sub channel that wakes long-polling claimers on every node. */
    String taskSignal() {
        return key("lease", "t-signal");
    }

    // Agents.
    String agent(String id) {
        return key("agent", "a:" + id);
    }

    /** Agent ids, as a sorted set with equal scores (ordered by id). */
    String agentIds() {
        return key("agent", "ids");
    }

    String agentBase() {
        return key("agent", "a:");
    }

    // Credentials.
    String credential(String id) {
        return key("auth", "c:" + id);
    }

    String credentialBase() {
        return key("auth", "c:");
    }

    /** Hash from token hash to credential id. */
    String credentialByHash() {
        return key("auth", "by-hash");
    }

    /** Ids of one subject's credentials of one kind. */
    String credentialSubject(String kind, String subject) {
        return key("auth", "s:" + kind + ":" + subject);
    }

    /** Ids of all credentials of one kind. */
    String credentialKind(String kind) {
        return key("auth", "k:" + kind);
    }

    // Audit.
    String auditSeq() {
        return key("audit", "seq");
    }

    /** The audit log: a stream whose entry ids are {@code <seq>-0}. */
    String auditLog() {
        return key("audit", "log");
    }

    // Messages.
    String messageCursor() {
        return key("msg", "cursor");
    }

    /** Hash from cursor to the message's JSON. */
    String messageBodies() {
        return key("msg", "m");
    }

    /** Every retained cursor (sorted set, score = cursor). */
    String messageAll() {
        return key("msg", "all");
    }

    /** Chat cursors of every channel. */
    String messageChat() {
        return key("msg", "chat");
    }

    /** Cursors by creation time (score = epoch ms). */
    String messageCreated() {
        return key("msg", "created");
    }

    /** Channels with retained messages (sorted set, equal scores). */
    String messageChannels() {
        return key("msg", "channels");
    }

    String messageChannel(String channel) {
        return key("msg", "ch:" + channel);
    }

    String messageInbox(String agentId) {
        return key("msg", "in:" + agentId);
    }

    String messageBase() {
        return key("msg", "");
    }

    /** Hash from agent id to its acknowledged inbox cursor. */
    String messageAcks() {
        return key("msg", "ack");
    }

    /** The pub/sub channel that tells every node which kinds of state changed. */
    String changeSignal() {
        return key("msg", "changes");
    }

    /** The pub/sub channel that carries new cursors to every node. */
    String messageSignal() {
        return key("msg", "signal");
    }

    // Memory. The scripts build e:<seq>, w:<word>, tag:<tag> and cat:<category> from memoryBase().
    String memoryBase() {
        return key("mem", "");
    }

    /** One author's live entries ({@code n}) and their content bytes ({@code b}), for the memory quota. */
    String memoryAuthor(String author) {
        return key("mem", "by:" + author);
    }

    /** Hash from memory id to its sequence number (deleted entries included, so an id is never reused). */
    String memoryIds() {
        return key("mem", "ids");
    }

    String memorySeq() {
        return key("mem", "seq");
    }

    /** Live entries by creation time (score = epoch ms, member = zero-padded seq). */
    String memoryLive() {
        return key("mem", "live");
    }

    /** Live entry count and total length in words, for BM25. */
    String memoryStats() {
        return key("mem", "stats");
    }

    /** Words that have postings, as a sorted set with equal scores, for prefix queries. */
    String memoryWords() {
        return key("mem", "words");
    }

    /** Hash from fingerprint (MemoryWords.fingerprint) to the one live entry that has it. */
    String memoryFingerprints() {
        return key("mem", "fps");
    }

    /** Live entries never recalled, by last write (score = epoch ms, member = zero-padded seq), for decay. */
    String memoryUnrecalled() {
        return key("mem", "unrecalled");
    }

    /** One entry's hash, by zero-padded sequence number; the memory scripts build it from {@link #memoryBase()}. */
    String memoryEntry(String seq) {
        return key("mem", "e:" + seq);
    }

    /** One word's postings: a hash from entry to weighted term frequency. */
    String memoryPostings(String word) {
        return key("mem", "w:" + word);
    }

    /** The live entries with one tag (a set). */
    String memoryTag(String tag) {
        return key("mem", "tag:" + tag);
    }

    /** The live entries of one category (a set). */
    String memoryCategory(String category) {
        return key("mem", "cat:" + category);
    }

    // Checkpoints: tagged per agent.
    private String checkpoint(String agentId, String rest) {
        return key("cp:" + agentId, rest);
    }

    /** The start of every agent's checkpoint keys. */
    String checkpointStart() {
        return prefix + "{cp:";
    }

    /** The agent whose checkpoint data hash {@code key} is ({@link #checkpointData}), or null for any other key. */
    String checkpointDataAgent(String key) {
        String head = checkpointStart();
        String tail = "}:data";
        if (!key.startsWith(head) || !key.endsWith(tail) || key.length() <= head.length() + tail.length()) {
            return null;
        }
        return key.substring(head.length(), key.length() - tail.length());
    }

    /** The agent's version counter. */
    String checkpointVersion(String agentId) {
        return checkpoint(agentId, "ver");
    }

    /** The agent's retained versions (sorted set, score = version). */
    String checkpointVersions(String agentId) {
        return checkpoint(agentId, "list");
    }

    /** Hash from version to the checkpoint's JSON. */
    String checkpointData(String agentId) {
        return checkpoint(agentId, "data");
    }

    /** Transcript cursor of one agent's session (hash: offset, msg, at), expiring when not moved. */
    String transcriptCursor(String agentId, String sessionId) {
        return key("tcursor", agentId + "/" + sessionId);
    }

    /** The start of every transcript cursor key. */
    String transcriptCursorStart() {
        return key("tcursor", "");
    }

    // Progress marks.
    String progress(String agentId) {
        return key("progress", "p:" + agentId);
    }

    String progressBase() {
        return key("progress", "p:");
    }

    String progressIds() {
        return key("progress", "ids");
    }

    // Usage counters: rows per (day, agent, pool, model) and day totals per agent, pool and the fleet.
    String usageBase() {
        return key("usage", "");
    }

    String usageRow(String day, String rowId) {
        return key("usage", "row:" + day + ":" + rowId);
    }

    String usageRows(String day) {
        return key("usage", "rows:" + day);
    }

    String usageDays() {
        return key("usage", "days");
    }

    String usageAgentTotal(String day, String agentId) {
        return key("usage", "agent:" + day + ":" + agentId);
    }

    String usagePoolTotal(String day, String pool) {
        return key("usage", "pool:" + day + ":" + pool);
    }

    String usageFleetTotal(String day) {
        return key("usage", "fleet:" + day);
    }

    // Budgets.
    /** Hash from (day, scope, level) to the alert's JSON. */
    String budgetAlerts() {
        return key("budget", "alerts");
    }

    /** Alert ids (day first), as a sorted set with equal scores, so that a range of days is a lexicographic range. */
    String budgetAlertIndex() {
        return key("budget", "alert-index");
    }

    /** Hash from scope to the halt in force. */
    String budgetHalts() {
        return key("budget", "halts");
    }

    /** Acknowledgements, newest first (a list). */
    String budgetAcks() {
        return key("budget", "acks");
    }

    /**
     * One rate limiter bucket. Outside the domain tags on purpose: it is not state (exports and the emptiness check of
     * imports skip it), and each script call touches only this key, so in a cluster the buckets spread over the slots.
     */
    String rateBucket(String bucket) {
        return prefix + "rate:" + bucket;
    }

    /** One fleet-wide hold of the rate limiter's rules; outside the domain tags like the buckets, for the same reasons. */
    String rateHold(String hold) {
        return prefix + "rate-hold:" + hold;
    }

    /** One agent's last admission of new work while throttled (epoch ms), expiring soon after it stops mattering. */
    String budgetThrottle(String agentId) {
        return key("budget", "throttle:" + agentId);
    }

    // Operations: each SPI under its own tag, because each script works within one of them.

    /** A scratch namespace for the self-test: the same Redis under a longer prefix. */
    RedisKeys scratch(String namespace) {
        return new RedisKeys(prefix + "scratch:" + namespace + ":");
    }

    /** Errors tool: i:<id> (issue hash) and e:<id> (its events, newest first) are built from this base. */
    String errorBase() {
        return key("err", "");
    }

    String errorIssue(String id) {
        return key("err", "i:" + id);
    }

    String errorEvents(String id) {
        return key("err", "e:" + id);
    }

    /** Issue ids by last seen (sorted set, score = epoch ms). */
    String errorIssues() {
        return key("err", "issues");
    }

    String errorEventSeq() {
        return key("err", "seq");
    }

    /** Hash from {@code <hour ms>|<LEVEL>} to the number of reports. */
    String errorHourly() {
        return key("err", "hourly");
    }

    /** The start of every operation counter key: counters are not state, a snapshot leaves them out. */
    String counterStart() {
        return key("ops", "");
    }

    /** Operation counters: b:<bucket ms> hashes are built from this base. */
    String counterBase() {
        return key("ops", "b:");
    }

    String counterBucket(long bucketMillis) {
        return key("ops", "b:" + bucketMillis);
    }

    /** Buckets with counters (sorted set, score = bucket start ms). */
    String counterIndex() {
        return key("ops", "buckets");
    }

    /**
     * Security events: {@code sec:b:<minute ms>} hashes from {@code kind\nsubject\ndetail} to a count are built from
     * this base. Under the operation counters' start, because they are aggregates, not state.
     */
    String securityBase() {
        return key("ops", "sec:b:");
    }

    String securityBucket(long minuteMillis) {
        return key("ops", "sec:b:" + minuteMillis);
    }

    /** Minutes with security events (sorted set, score = minute start ms). */
    String securityIndex() {
        return key("ops", "sec:buckets");
    }

    String tierSeq() {
        return key("tier", "seq");
    }

    /** Hash from sequence number to the change's JSON. */
    String tierChanges() {
        return key("tier", "changes");
    }

    /** Sequence numbers of the changes, newest first (a list). */
    String tierLog() {
        return key("tier", "log");
    }

    /** Hash from rule to the version of its state. */
    String alertVersions() {
        return key("alert", "versions");
    }

    /** Hash from rule to its state's JSON. */
    String alertStates() {
        return key("alert", "states");
    }

    String alertEventSeq() {
        return key("alert", "seq");
    }

    /** Hash from sequence number to the event's JSON. */
    String alertEvents() {
        return key("alert", "events");
    }

    /** Event sequence numbers (sorted set, score = seq). */
    String alertEventsBySeq() {
        return key("alert", "by-seq");
    }

    /** Event sequence numbers by time (sorted set, score = epoch ms), for purging. */
    String alertEventsByTime() {
        return key("alert", "by-at");
    }

    /** Trails: t:<agent> sorted sets (score = epoch ms, member = zero-padded seq | JSON) from this base. */
    String traceBase() {
        return key("trace", "t:");
    }

    String trace(String agentId) {
        return key("trace", "t:" + agentId);
    }

    /** Agents with a trail (a set). */
    String traceAgents() {
        return key("trace", "agents");
    }

    String traceSeq() {
        return key("trace", "seq");
    }

    /** Hash from run id to the run's JSON. */
    String selfTestRuns() {
        return key("selftest", "runs");
    }

    /** Run ids by start time (sorted set, score = epoch ms). */
    String selfTestByStart() {
        return key("selftest", "by-start");
    }

    /** Hash from drill run id to the run's JSON. */
    String drillRuns() {
        return key("drill", "runs");
    }

    /** Drill run ids by start time (sorted set, score = epoch ms). */
    String drillByStart() {
        return key("drill", "by-start");
    }

    // Rollouts: one tag, so that a save (record, revision, window, dropping old counters) is one script.

    /** Rollout JSON by pool (a hash). */
    String rollouts() {
        return key("rollout", "docs");
    }

    /** Rollout revision by pool (a hash). */
    String rolloutRevisions() {
        return key("rollout", "rev");
    }

    /** Current observation window by pool (a hash). */
    String rolloutWindows() {
        return key("rollout", "win");
    }

    /** One pool's counters of its current window: {@code <side>:<metric>} to a number (a hash). */
    String rolloutCounts(String pool) {
        return key("rollout", "c:" + pool);
    }

    /** Feature flag JSON by key (a hash). */
    String flags() {
        return key("flag", "docs");
    }

    /** The flags' version, raised by every change. */
    String flagVersion() {
        return key("flag", "version");
    }
}
