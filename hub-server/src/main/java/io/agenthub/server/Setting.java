package io.agenthub.server;

import java.util.List;
import java.util.Locale;

/**
 * One configuration setting: its key in a config file, its {@code HUB_*} environment variable, its default and what it
 * means. The list in {@link #ALL} is the single source for loading, validation messages and the README table.
 *
 * @param secret never logged or echoed
 */
public record Setting(String key, String defaultValue, String description, boolean secret) {
    public static final Setting PORT = of("port", "7700", "TCP port of the HTTP API, MCP endpoint and dashboard.");
    public static final Setting BIND =
            of("bind", "127.0.0.1", "Address to listen on. Loopback by default; set 0.0.0.0 to serve other hosts.");
    public static final Setting DATA_DIR =
            of("data-dir", "./hub-data", "Directory of the SQLite store, the generated admin token and the lock file.");
    public static final Setting ADMIN_TOKEN = new Setting(
            "admin-token",
            "",
            "Admin bearer token (at least 24 characters). If unset, one is generated at first start, stored in"
                    + " <data-dir>/admin-token (mode 600) and printed once.",
            true);
    public static final Setting SQLITE_SYNC = of(
            "sqlite-sync",
            "normal",
            "SQLite durability: normal (WAL, survives a process crash) or full (fsync every commit, survives power"
                    + " loss).");
    public static final Setting REDIS_URL = new Setting(
            "redis-url",
            "",
            "Redis (7.0 or newer, or Valkey) to keep all state in instead of SQLite, so that several hub nodes serve one"
                    + " hub: redis://[user:password@]host:port[/db], or rediss:// for TLS.",
            true);
    public static final Setting REDIS_PREFIX = of(
            "redis-prefix",
            "hub:",
            "Prefix of every Redis key, so that several hubs can share one Redis. No braces or spaces.");
    public static final Setting REDIS_TIMEOUT = of(
            "redis-timeout",
            "2s",
            "Limit of every Redis call; when Redis is slower or down, requests fail fast with 503 and Retry-After.");
    public static final Setting REDIS_TLS_CA = of(
            "redis-tls-ca",
            "",
            "PEM file of the certificate authority (or self-signed certificate) to trust for a rediss:// Redis, instead"
                    + " of the JVM's trust store.");
    public static final Setting REDIS_TLS_CERT = of(
            "redis-tls-cert",
            "",
            "PEM certificate chain the hub presents to a rediss:// Redis that asks for client certificates (Redis's"
                    + " tls-auth-clients); needs redis-tls-key.");
    public static final Setting REDIS_TLS_KEY =
            of("redis-tls-key", "", "PEM file of the unencrypted PKCS#8 private key of redis-tls-cert.");
    public static final Setting TLS_CERT = of(
            "tls-cert",
            "",
            "PEM certificate chain (server certificate first) to serve HTTPS with, HTTP/1.1 and HTTP/2; needs tls-key."
                    + " Unset: plain HTTP (put a TLS-terminating proxy in front for agents on other machines).");
    public static final Setting TLS_KEY =
            of("tls-key", "", "PEM file of the unencrypted PKCS#8 private key of tls-cert (keep it mode 600).");
    public static final Setting AGENT_TOKEN_TTL = of(
            "agent-token-ttl",
            "0s",
            "How long an agent's or viewer's token works from its issue (e.g. 30d); 0s: until revoked. Agents renew"
                    + " with POST /api/tokens/renew before it ends.");
    public static final Setting AGENT_TOKEN_OVERLAP = of(
            "agent-token-overlap",
            "10m",
            "How long the old token keeps working after POST /api/tokens/renew, so that an agent can switch over.");
    public static final Setting HEARTBEAT_INTERVAL =
            of("heartbeat-interval", "60s", "How often agents are expected to heartbeat.");
    public static final Setting MISSED_BEATS =
            of("missed-beats", "3", "Missed heartbeats after which an agent is stale.");
    public static final Setting OFFLINE_AFTER = of("offline-after", "15m", "Silence after which an agent is offline.");
    public static final Setting STALE_LEASE_GRACE = of(
            "stale-lease-grace",
            "2m",
            "How long after going stale an agent keeps its leases before the reaper releases them.");
    public static final Setting REAPER_INTERVAL =
            of("reaper-interval", "10s", "How often the presence reaper and retention janitor run.");
    public static final Setting LEASE_DEFAULT_TTL =
            of("lease-default-ttl", "10m", "Lease TTL when a request names none.");
    public static final Setting LEASE_MAX_TTL = of("lease-max-ttl", "2h", "Longest TTL a lease request may ask for.");
    public static final Setting LEASE_MAX_PER_AGENT =
            of("lease-max-per-agent", "256", "Most active leases one agent may hold.");
    public static final Setting LEASE_PATH_ROOT = of(
            "lease-path-root",
            "",
            "Absolute directories (the agents' checkouts), comma-separated, that are stripped from absolute lease"
                    + " resource names: with /work/repo, /work/repo/src/a.ts is src/a.ts. Other absolute names are"
                    + " refused; send repository-relative paths.");
    public static final Setting LEASE_CASE_INSENSITIVE = of(
            "lease-case-insensitive",
            "false",
            "true lowercases every lease resource name, so Src/A.ts and src/a.ts are one lease (for repositories on"
                    + " case-insensitive file systems).");
    public static final Setting TASK_QUEUE_MAX = of(
            "task-queue-max",
            "10000",
            "Most queued and retry-waiting tasks one pool may hold; creating more gets 429 with Retry-After.");
    public static final Setting TASK_MAX_CHARS =
            of("task-max-chars", "16384", "Longest task body, result or failure reason, in characters.");
    public static final Setting TASK_DEFAULT_TTL =
            of("task-default-ttl", "5m", "Claim TTL when a claimer names none; renew before it runs out.");
    public static final Setting TASK_MAX_TTL = of("task-max-ttl", "1h", "Longest TTL a task claim may ask for.");
    public static final Setting TASK_MAX_ATTEMPTS =
            of("task-max-attempts", "3", "Attempts a task gets when its creator names none (at most 50).");
    public static final Setting TASK_RETRY_BASE = of(
            "task-retry-base",
            "10s",
            "A failed task waits this long before it is queued again, doubled with each attempt up to task-retry-max.");
    public static final Setting TASK_RETRY_MAX =
            of("task-retry-max", "10m", "Longest wait before a failed task's retry.");
    public static final Setting TASK_EVENTS_CHANNEL = of(
            "task-events-channel",
            "tasks",
            "Chat channel where the hub posts task changes (also seen on /api/events); empty for none.");
    public static final Setting SCALING_WINDOW = of(
            "scaling-window",
            "5m",
            "Rolling window of the pool statistics (claims per minute, success rate, task duration) and of the scaling"
                    + " rules; the latency trend compares it with the window before.");
    public static final Setting SCALING_HIGH_UTILIZATION = of(
            "scaling-high-utilization",
            "0.8",
            "Busy over online agents of a pool above which GET /api/scaling recommends adding agents (0-1).");
    public static final Setting SCALING_MAX_STEP =
            of("scaling-max-step", "5", "Most agents one scaling recommendation adds or removes.");
    public static final Setting SCALING_MIN_AGENTS =
            of("scaling-min-agents", "1", "Fewest online agents a scale-down recommendation leaves in a pool.");
    public static final Setting ROLLOUT_INTERVAL = of(
            "rollout-interval",
            "1m",
            "How often running canaries are judged (step, promotion or automatic rollback); once per rollout and"
                    + " decision however many hub nodes evaluate.");
    public static final Setting ROLLOUT_MIN_SAMPLES = of(
            "rollout-min-samples",
            "5",
            "Finished attempts the canary needs in a step before its health decides (rollback or next step).");
    public static final Setting MESSAGE_MAX_CHARS =
            of("message-max-chars", "16384", "Longest chat message or DM, in characters; longer ones get 413.");
    public static final Setting MESSAGE_RETENTION = of("message-retention", "7d", "How long messages are kept.");
    public static final Setting CHANNEL_CAP =
            of("channel-cap", "10000", "Most messages kept per chat channel; older ones are deleted first.");
    public static final Setting LONG_POLL_MAX = of("long-poll-max", "30s", "Longest wait= a long-poll may ask for.");
    public static final Setting CHECKPOINT_KEEP = of("checkpoint-keep", "20", "Checkpoint versions kept per agent.");
    public static final Setting MAX_BODY_BYTES =
            of("max-body-bytes", "1048576", "Largest accepted request body; larger ones get 413.");
    public static final Setting MEMORY_DECAY_AFTER = of(
            "memory-decay-after",
            "30d",
            "A shared memory never recalled and not written again for this long is removed by consolidation; 0s keeps"
                    + " every entry.");
    public static final Setting MEMORY_CONSOLIDATE_INTERVAL = of(
            "memory-consolidate-interval",
            "6h",
            "How often memory consolidation runs (merges near duplicates, decays entries); also on demand with hub"
                    + " memories consolidate.");
    public static final Setting MEMORY_CONSOLIDATE_BATCH = of(
            "memory-consolidate-batch",
            "500",
            "Most memory entries one consolidation pass compares (the newest) and most it decays.");
    public static final Setting HOT_START_MAX_CHARS =
            of("hot-start-max-chars", "24000", "Default size budget of the hot-start prompt, in characters.");
    public static final Setting MCP_ALLOWED_ORIGINS = of(
            "mcp-allowed-origins",
            "",
            "Browser origins allowed to call /mcp, comma-separated (e.g. https://app.example:443; host:* allows any"
                    + " port). Empty: http://127.0.0.1, localhost and [::1] at the hub's port. * allows any.");
    public static final Setting MCP_ALLOWED_HOSTS = of(
            "mcp-allowed-hosts",
            "",
            "Host header values accepted on /mcp (DNS-rebinding protection), comma-separated (e.g. hub.internal:7700;"
                    + " name:* allows any port). Empty: 127.0.0.1, localhost and [::1] at the hub's port. * accepts"
                    + " any.");

    public static final Setting JOIN_KEY_LABELS = of(
            "join-key-labels",
            "",
            "Labels fixed by a join key, per join key label: web-key:pool=web;ops-key:pool=ops,core=true. An agent"
                    + " enrolling with that key gets them. Privileged labels (pool, wake-url, the tier-core-label key)"
                    + " are set only by an admin or by this setting; an agent setting them on itself gets 403.");
    public static final Setting WAKE_ALLOWED_HOSTS = of(
            "wake-allowed-hosts",
            "loopback",
            "Hosts the hub may POST a wake-up to (wake-url labels), comma-separated host names or IP addresses;"
                    + " loopback allows any name that resolves only to loopback addresses. Checked at each wake-up"
                    + " after DNS resolution. Empty: no wake-ups are sent.");
    public static final Setting RATE_LIMIT_WRITES = of(
            "rate-limit-writes",
            "600,200",
            "Per agent: writes (leases, heartbeats, checkpoints, handoffs, ...) per minute, then the burst (most at"
                    + " once). Over it: 429 with Retry-After. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_READS =
            of("rate-limit-reads", "1200,300", "Per agent: reads (GET) per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_CHAT = of(
            "rate-limit-chat",
            "100,50",
            "Per agent: chat posts and direct messages per minute, burst (the guide's 100 msg/min). 0: off.");
    public static final Setting RATE_LIMIT_MEMORIES =
            of("rate-limit-memories", "120,60", "Per agent: memory writes per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_ERRORS =
            of("rate-limit-errors", "120,60", "Per agent: error reports per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_MCP =
            of("rate-limit-mcp", "1200,300", "Per agent: calls to /mcp per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_ANONYMOUS = of(
            "rate-limit-anonymous",
            "120,60",
            "Per client address: calls without a valid token (enrolment, failed authentication) per minute, burst."
                    + " 0 turns the limit off.");

    public static final Setting MEMORY_QUOTA_ENTRIES = of(
            "memory-quota-entries",
            "10000",
            "Most live (not forgotten) memory entries one agent may keep; past it, writes get 409 quota_exceeded"
                    + " until it forgets some. 0: no quota.");
    public static final Setting MEMORY_QUOTA_BYTES = of(
            "memory-quota-bytes",
            "16777216",
            "Most bytes of memory content (UTF-8) one agent may keep in live entries; 0: no quota.");
    public static final Setting CHECKPOINT_MAX_BYTES = of(
            "checkpoint-max-bytes",
            "262144",
            "Largest checkpoint (all its text and list items together, UTF-8 bytes); with checkpoint-keep it bounds"
                    + " an agent's checkpoint storage. Larger saves get 413.");

    public static final Setting PUBLIC_URL = of(
            "public-url",
            "",
            "The URL people open the hub at, e.g. https://ops.example.com/hub behind a reverse proxy that strips /hub;"
                    + " printed by hub serve and hub dashboard, and its path scopes the dashboard's session cookie."
                    + " Empty means http://<bind>:<port>/.");
    public static final Setting DASHBOARD_SESSION_TTL =
            of("dashboard-session-ttl", "12h", "How long a dashboard login lasts before the session cookie expires.");
    public static final Setting STALL_AFTER = of(
            "stall-after",
            "5m",
            "An online agent without progress (no task or status change, lease, message, checkpoint, usage report or"
                    + " handoff step) for this long is stalled: the hub alerts and wakes it.");
    public static final Setting WAKE_TIMEOUT =
            of("wake-timeout", "5s", "Timeout of the POST to a stalled agent's wake URL (its wake-url label).");
    public static final Setting CONTEXT_WARN_TOKENS = of(
            "context-warn-tokens",
            "150000",
            "Context size from which usage reports answer warn: save a checkpoint soon.");
    public static final Setting CONTEXT_TRANSFER_TOKENS = of(
            "context-transfer-tokens",
            "180000",
            "Context size from which usage reports answer transfer: checkpoint now and stop; the hub creates the"
                    + " transfer handoff.");
    public static final Setting CONTEXT_LIMITS = of(
            "context-limits",
            "",
            "Context thresholds per model or agent, comma-separated: MODEL-TEXT=WARN/TRANSFER or"
                    + " agent:ID=WARN/TRANSFER, e.g. haiku=120000/150000.");
    public static final Setting PRICES = of(
            "prices",
            io.agenthub.usage.PriceTable.DEFAULTS,
            "Price table, comma-separated MODEL-TEXT=INPUT/OUTPUT/CACHE-READ/CACHE-WRITE in USD per million tokens;"
                    + " the longest text contained in the model id wins, * prices any other model.");
    public static final Setting USAGE_TIME_ZONE =
            of("usage-time-zone", "UTC", "Time zone of the usage and budget day, e.g. Europe/Berlin.");
    public static final Setting BUDGET_INFO_USD =
            of("budget-info-usd", "100", "Fleet spend per day (whole USD) that posts an info notice.");
    public static final Setting BUDGET_WARN_USD =
            of("budget-warn-usd", "250", "Fleet spend per day (whole USD) that posts a warning asking for review.");
    public static final Setting BUDGET_THROTTLE_USD = of(
            "budget-throttle-usd",
            "500",
            "Fleet spend per day (whole USD) that alerts and throttles: agents get slow_down, non-essential agents"
                    + " take new work at most once per throttle-delay.");
    public static final Setting BUDGET_HALT_USD = of(
            "budget-halt-usd",
            "1000",
            "Fleet spend per day (whole USD) that halts: agents get halt and only admins start new work until an"
                    + " admin acknowledges.");
    public static final Setting THROTTLE_DELAY = of(
            "throttle-delay",
            "30s",
            "Delay recommended with slow_down, and the least time between new work of a non-essential agent while"
                    + " throttled.");
    public static final Setting ESSENTIAL_AGENTS =
            of("essential-agents", "", "Agents never throttled (they still halt), comma-separated ids or pool:NAME.");
    public static final Setting AGENT_DAILY_BUDGET_USD = of(
            "agent-daily-budget-usd",
            "",
            "Every agent's own daily budget in USD; past it the agent halts until acknowledged. Empty: none.");
    public static final Setting AGENT_BUDGETS_USD = of(
            "agent-budgets-usd",
            "",
            "Daily budgets of named agents, comma-separated ID=USD; they override agent-daily-budget-usd.");
    public static final Setting MODEL_ROUTING = of(
            "model-routing",
            io.agenthub.usage.RoutingPolicy.DEFAULTS,
            "Model routing advice per task complexity: simple=MODEL,moderate=MODEL,complex=MODEL.");
    public static final Setting HANDOFF_TTL = of(
            "handoff-ttl",
            "30m",
            "How long a handoff waits to be accepted; a named recipient's handoff then goes back to the pool for as"
                    + " long again, then expires with an alert.");
    public static final Setting REAPED_LEASES = of(
            "reaped-leases",
            "handoff",
            "What the reaper does with a silent agent's leases: handoff (offer them to its pool; each lease still"
                    + " ends at its own expiry, and whoever accepts gets fresh ones) or release.");
    public static final Setting OPS_CHANNEL = of(
            "ops-channel",
            "ops",
            "Chat channel of hub notices: presence changes, stalls and wakes, transfers and handoffs, alerts, budgets,"
                    + " tier changes, self-test results, disabled agents and key rotations. An agent gets in its inbox"
                    + " only the notices that concern it; hot-start's recent chat leaves notices out.");
    public static final Setting ALERT_CHANNEL =
            of("alert-channel", "", "Former name of ops-channel, still read: if set, hub notices go to this channel.");
    public static final Setting METRICS_TOKEN = new Setting(
            "metrics-token",
            "",
            "Bearer token that may only scrape /metrics (for Prometheus); viewer, agent and admin tokens work too.",
            true);
    public static final Setting ERROR_EVENTS_PER_ISSUE =
            of("error-events-per-issue", "100", "Occurrences kept per error issue; older ones are deleted first.");
    public static final Setting ERROR_RATE_WINDOW = of(
            "error-rate-window",
            "5m",
            "Rolling window of the error rate, coordination conflicts and average response (status, alerts, errors"
                    + " overview).");
    public static final Setting TIER_CORE_LABEL = of(
            "tier-core-label", "core=true", "Label (key=value) of core agents, which keep taking new work in tier 2.");
    public static final Setting TIER_DESIGNATED_AGENT = of(
            "tier-designated-agent",
            "",
            "Agent that keeps taking new work in tier 3 when the admin or rule that set it names none.");
    public static final Setting TIER_RETRY_AFTER =
            of("tier-retry-after", "60s", "Retry-After of requests refused because of the tier.");
    public static final Setting TIER_AUTO_ERROR_RATE = of(
            "tier-auto-error-rate",
            "0.25",
            "Rule ErrorStorm: an error rate above this for tier-auto-for puts the hub in tier 2 until it drops.");
    public static final Setting TIER_AUTO_PASS_RATE = of(
            "tier-auto-pass-rate",
            "0.5",
            "Rule SelfTestCritical: a self-test pass rate below this puts the hub in tier 2 until it recovers.");
    public static final Setting TIER_AUTO_FOR =
            of("tier-auto-for", "5m", "How long ErrorStorm's condition must hold before it changes the tier.");
    public static final Setting ALERT_INTERVAL =
            of("alert-interval", "30s", "How often alert rules and automatic tier rules are evaluated.");
    public static final Setting ALERT_DISABLED =
            of("alert-disabled", "", "Comma-separated alert rules to switch off, e.g. AgentsStalled,ErrorStorm.");
    public static final Setting ALERT_AGENTS_DOWN_FOR =
            of("alert-agents-down-for", "0s", "How long no agent may be online before AllAgentsDown fires.");
    public static final Setting ALERT_ERROR_RATE =
            of("alert-error-rate", "0.05", "HighErrorRate fires when the error rate stays above this.");
    public static final Setting ALERT_ERROR_RATE_FOR =
            of("alert-error-rate-for", "5m", "How long the error rate must stay high before HighErrorRate fires.");
    public static final Setting ALERT_STALLED_FOR =
            of("alert-stalled-for", "5m", "How long some agent must stay stalled before AgentsStalled fires.");
    public static final Setting ALERT_DAILY_TOKEN_BUDGET = of(
            "alert-daily-token-budget",
            "",
            "Tokens per day (UTC) above which TokenBudgetExceeded fires; empty switches the rule off.");
    public static final Setting ALERT_SELF_TEST_PASS_RATE =
            of("alert-self-test-pass-rate", "1.0", "SelfTestFailing fires when the self-test pass rate is below this.");
    public static final Setting ALERT_WEBHOOKS = new Setting(
            "alert-webhooks",
            "",
            "Comma-separated webhook URLs for alerts; prefix one with slack: for a Slack-compatible body, else it"
                    + " gets the generic JSON.",
            true);
    public static final Setting ALERT_WEBHOOK_ATTEMPTS =
            of("alert-webhook-attempts", "4", "Delivery attempts per alert and webhook before giving up.");
    public static final Setting ALERT_WEBHOOK_BACKOFF =
            of("alert-webhook-backoff", "2s", "Wait before the first retry of a webhook; doubles with each retry.");
    public static final Setting STATUS_AGENT_COUNT =
            of("status-agent-count", "2,1", "Status thresholds good,warning: active agents (good at or above).");
    public static final Setting STATUS_AVG_RESPONSE = of(
            "status-avg-response", "5,15", "Status thresholds good,warning: average response in seconds (good below).");
    public static final Setting STATUS_ERROR_RATE =
            of("status-error-rate", "0.01,0.05", "Status thresholds good,warning: error rate (good below).");
    public static final Setting STATUS_CONFLICT_RATE =
            of("status-conflict-rate", "0.05,0.10", "Status thresholds good,warning: lease conflicts (good below).");
    public static final Setting STATUS_PASS_RATE = of(
            "status-pass-rate", "1.0,0.95", "Status thresholds good,warning: self-test pass rate (good at or above).");
    public static final Setting SELF_TEST_INTERVAL =
            of("self-test-interval", "5m", "How often the self-test runs as a synthetic transaction.");
    public static final Setting SELF_TEST_ON_START =
            of("self-test-on-start", "true", "Run the self-test when the hub starts (every deploy): true or false.");
    public static final Setting DRILL_INTERVAL = of(
            "drill-interval",
            "7d",
            "How often the hub runs the coordination drill (simulated agents in a scratch namespace; GET /api/drills),"
                    + " posts the result to the ops channel and alerts when it fails; 0s switches the schedule off.");
    public static final Setting TRACE_RETENTION =
            of("trace-retention", "24h", "How long agents' trails (GET /api/trace) are kept.");
    public static final Setting HOOK_CONTEXT_MAX_CHARS = of(
            "hook-context-max-chars",
            "12000",
            "Size budget, in characters, of the hot-start briefing the Claude Code SessionStart hook adds to the"
                    + " model's context.");
    public static final Setting HOOK_INBOX_MAX_CHARS = of(
            "hook-inbox-max-chars",
            "4000",
            "Most characters of new messages the UserPromptSubmit hook adds to the model's context per prompt; the"
                    + " rest waits for the next prompt.");
    public static final Setting HOOK_LEASE_AUTO_ACQUIRE = of(
            "hook-lease-auto-acquire",
            "false",
            "true: the PreToolUse hook acquires the lease of a free file for the agent that edits it (for"
                    + " lease-default-ttl); false: it only refuses edits of files others hold.");
    public static final Setting HOOK_SESSION_END_LEASES = of(
            "hook-session-end-leases",
            "release",
            "What the SessionEnd hook does with the agent's leases when a session ends (not on clear or resume):"
                    + " release, handoff (offer them and the latest checkpoint to the agent's pool) or keep.");
    public static final Setting HOOK_TRANSCRIPTS = of(
            "hook-transcripts",
            "true",
            "true: hooks read the session transcript named in the event (a .jsonl file under a .claude/projects"
                    + " directory readable by the hub) and report its token usage; false: they never read files.");

    public static final List<Setting> ALL = List.of(
            PORT,
            BIND,
            DATA_DIR,
            ADMIN_TOKEN,
            SQLITE_SYNC,
            REDIS_URL,
            REDIS_PREFIX,
            REDIS_TIMEOUT,
            REDIS_TLS_CA,
            REDIS_TLS_CERT,
            REDIS_TLS_KEY,
            TLS_CERT,
            TLS_KEY,
            AGENT_TOKEN_TTL,
            AGENT_TOKEN_OVERLAP,
            HEARTBEAT_INTERVAL,
            MISSED_BEATS,
            OFFLINE_AFTER,
            STALE_LEASE_GRACE,
            REAPER_INTERVAL,
            LEASE_DEFAULT_TTL,
            LEASE_MAX_TTL,
            LEASE_MAX_PER_AGENT,
            LEASE_PATH_ROOT,
            LEASE_CASE_INSENSITIVE,
            TASK_QUEUE_MAX,
            TASK_MAX_CHARS,
            TASK_DEFAULT_TTL,
            TASK_MAX_TTL,
            TASK_MAX_ATTEMPTS,
            TASK_RETRY_BASE,
            TASK_RETRY_MAX,
            TASK_EVENTS_CHANNEL,
            SCALING_WINDOW,
            SCALING_HIGH_UTILIZATION,
            SCALING_MAX_STEP,
            SCALING_MIN_AGENTS,
            ROLLOUT_INTERVAL,
            ROLLOUT_MIN_SAMPLES,
            MESSAGE_MAX_CHARS,
            MESSAGE_RETENTION,
            CHANNEL_CAP,
            LONG_POLL_MAX,
            CHECKPOINT_KEEP,
            MAX_BODY_BYTES,
            HOT_START_MAX_CHARS,
            MEMORY_DECAY_AFTER,
            MEMORY_CONSOLIDATE_INTERVAL,
            MEMORY_CONSOLIDATE_BATCH,
            MCP_ALLOWED_ORIGINS,
            MCP_ALLOWED_HOSTS,
            JOIN_KEY_LABELS,
            WAKE_ALLOWED_HOSTS,
            RATE_LIMIT_WRITES,
            RATE_LIMIT_READS,
            RATE_LIMIT_CHAT,
            RATE_LIMIT_MEMORIES,
            RATE_LIMIT_ERRORS,
            RATE_LIMIT_MCP,
            RATE_LIMIT_ANONYMOUS,
            MEMORY_QUOTA_ENTRIES,
            MEMORY_QUOTA_BYTES,
            CHECKPOINT_MAX_BYTES,
            PUBLIC_URL,
            DASHBOARD_SESSION_TTL,
            STALL_AFTER,
            WAKE_TIMEOUT,
            CONTEXT_WARN_TOKENS,
            CONTEXT_TRANSFER_TOKENS,
            CONTEXT_LIMITS,
            PRICES,
            USAGE_TIME_ZONE,
            BUDGET_INFO_USD,
            BUDGET_WARN_USD,
            BUDGET_THROTTLE_USD,
            BUDGET_HALT_USD,
            THROTTLE_DELAY,
            ESSENTIAL_AGENTS,
            AGENT_DAILY_BUDGET_USD,
            AGENT_BUDGETS_USD,
            MODEL_ROUTING,
            HANDOFF_TTL,
            REAPED_LEASES,
            OPS_CHANNEL,
            ALERT_CHANNEL,
            METRICS_TOKEN,
            ERROR_EVENTS_PER_ISSUE,
            ERROR_RATE_WINDOW,
            TIER_CORE_LABEL,
            TIER_DESIGNATED_AGENT,
            TIER_RETRY_AFTER,
            TIER_AUTO_ERROR_RATE,
            TIER_AUTO_PASS_RATE,
            TIER_AUTO_FOR,
            ALERT_INTERVAL,
            ALERT_DISABLED,
            ALERT_AGENTS_DOWN_FOR,
            ALERT_ERROR_RATE,
            ALERT_ERROR_RATE_FOR,
            ALERT_STALLED_FOR,
            ALERT_DAILY_TOKEN_BUDGET,
            ALERT_SELF_TEST_PASS_RATE,
            ALERT_WEBHOOKS,
            ALERT_WEBHOOK_ATTEMPTS,
            ALERT_WEBHOOK_BACKOFF,
            STATUS_AGENT_COUNT,
            STATUS_AVG_RESPONSE,
            STATUS_ERROR_RATE,
            STATUS_CONFLICT_RATE,
            STATUS_PASS_RATE,
            SELF_TEST_INTERVAL,
            SELF_TEST_ON_START,
            DRILL_INTERVAL,
            TRACE_RETENTION,
            HOOK_CONTEXT_MAX_CHARS,
            HOOK_INBOX_MAX_CHARS,
            HOOK_LEASE_AUTO_ACQUIRE,
            HOOK_SESSION_END_LEASES,
            HOOK_TRANSCRIPTS);

    private static Setting of(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false);
    }

    /** The README's configuration table, generated from {@link #ALL} (a test keeps the README in sync). */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| setting (`--set` key) | environment variable | default | meaning |\n");
        out.append("|---|---|---|---|\n");
        for (Setting s : ALL) {
            String def = s.defaultValue().isEmpty() ? "(none)" : "`" + s.defaultValue() + "`";
            out.append("| `")
                    .append(s.key())
                    .append("` | `")
                    .append(s.env())
                    .append("` | ")
                    .append(def)
                    .append(" | ")
                    .append(s.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The environment variable, e.g. {@code HUB_LEASE_MAX_TTL}. */
    public String env() {
        return "HUB_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The command-line flag of {@code hub serve}, e.g. {@code --lease-max-ttl}. */
    public String flag() {
        return "--" + key;
    }
}
