package io.agenthub.server.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration setting: its key in a config file, its {@code HUB_*} environment variable, its default and what it
 * means. The list in {@link #ALL} is the single source for loading, validation messages and the README table.
 *
 * @param secret never logged or echoed
 * @param type what the value is and the rule it keeps, checked at start-up
 */
public record Setting(String key, String defaultValue, String description, boolean secret, Type type) {
    public static final Setting PORT = port("port", "7700", "TCP port of the HTTP API, MCP endpoint and dashboard.");
    public static final Setting BIND =
            text("bind", "127.0.0.1", "Address to listen on. Loopback by default; set 0.0.0.0 to serve other hosts.");
    public static final Setting DATA_DIR = text(
            "data-dir", "./hub-data", "Directory of the SQLite store, the generated admin token and the lock file.");
    public static final Setting ADMIN_TOKEN = new Setting(
            "admin-token",
            "",
            "Admin bearer token (at least 24 characters). If unset, one is generated at first start, stored in"
                    + " <data-dir>/admin-token (mode 600) and printed once.",
            true);
    public static final Setting SQLITE_SYNC = text(
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
    public static final Setting REDIS_PREFIX = text(
            "redis-prefix",
            "hub:",
            "Prefix of every Redis key, so that several hubs can share one Redis. No braces or spaces.");
    public static final Setting REDIS_TIMEOUT = duration(
            "redis-timeout",
            "2s",
            "Limit of every Redis call; when Redis is slower or down, requests fail fast with 503 and Retry-After.");
    public static final Setting REDIS_REQUEST_BUDGET = durationOrZero(
            "redis-request-budget",
            "0s",
            "Time one request may take, from its arrival, for all its Redis calls together: each call gets at most what"
                    + " is left and none is sent after it (503 and Retry-After), so a request to a slow Redis ends"
                    + " within this budget plus its own work. Long-polls and streams get it afresh after each wait."
                    + " 0s: twice redis-timeout.");
    public static final Setting REDIS_TLS_CA = text(
            "redis-tls-ca",
            "",
            "PEM file of the certificate authority (or self-signed certificate) to trust for a rediss:// Redis, instead"
                    + " of the JVM's trust store.");
    public static final Setting REDIS_TLS_CERT = text(
            "redis-tls-cert",
            "",
            "PEM certificate chain the hub presents to a rediss:// Redis that asks for client certificates (Redis's"
                    + " tls-auth-clients); needs redis-tls-key.");
    public static final Setting REDIS_TLS_KEY =
            text("redis-tls-key", "", "PEM file of the unencrypted PKCS#8 private key of redis-tls-cert.");
    public static final Setting TLS_CERT = text(
            "tls-cert",
            "",
            "PEM certificate chain (server certificate first) to serve HTTPS with, HTTP/1.1 and HTTP/2; needs tls-key."
                    + " Unset: plain HTTP (put a TLS-terminating proxy in front for agents on other machines).");
    public static final Setting TLS_KEY =
            text("tls-key", "", "PEM file of the unencrypted PKCS#8 private key of tls-cert (keep it mode 600).");
    public static final Setting AGENT_TOKEN_TTL = durationOrZero(
            "agent-token-ttl",
            "0s",
            "How long an agent's or viewer's token works from its issue (e.g. 30d); 0s: until revoked. Agents renew"
                    + " with POST /api/tokens/renew before it ends.");
    public static final Setting AGENT_TOKEN_OVERLAP = duration(
            "agent-token-overlap",
            "10m",
            "How long the old token keeps working after POST /api/tokens/renew, so that an agent can switch over.");
    public static final Setting HEARTBEAT_INTERVAL =
            duration("heartbeat-interval", "60s", "How often agents are expected to heartbeat.");
    public static final Setting MISSED_BEATS =
            count("missed-beats", "3", "Missed heartbeats after which an agent is stale.");
    public static final Setting OFFLINE_AFTER =
            duration("offline-after", "15m", "Silence after which an agent is offline.");
    public static final Setting STALE_LEASE_GRACE = duration(
            "stale-lease-grace",
            "2m",
            "How long after going stale an agent keeps its leases before the reaper releases them.");
    public static final Setting REAPER_INTERVAL =
            duration("reaper-interval", "10s", "How often the presence reaper and retention janitor run.");
    public static final Setting LEASE_DEFAULT_TTL =
            duration("lease-default-ttl", "10m", "Lease TTL when a request names none.");
    public static final Setting LEASE_MAX_TTL =
            duration("lease-max-ttl", "2h", "Longest TTL a lease request may ask for.");
    public static final Setting LEASE_MAX_PER_AGENT =
            count("lease-max-per-agent", "256", "Most active leases one agent may hold.");
    public static final Setting LEASE_PATH_ROOT = text(
            "lease-path-root",
            "",
            "Absolute directories (the agents' checkouts), comma-separated, that are stripped from absolute lease"
                    + " resource names: with /work/repo, /work/repo/src/a.ts is src/a.ts. Other absolute names are"
                    + " refused; send repository-relative paths.");
    public static final Setting LEASE_CASE_INSENSITIVE = text(
            "lease-case-insensitive",
            "false",
            "true lowercases every lease resource name, so Src/A.ts and src/a.ts are one lease (for repositories on"
                    + " case-insensitive file systems).");
    public static final Setting TASK_QUEUE_MAX = count(
            "task-queue-max",
            "10000",
            "Most queued and retry-waiting tasks one pool may hold; creating more gets 429 with Retry-After.");
    public static final Setting TASK_MAX_CHARS =
            count("task-max-chars", "16384", "Longest task body, result or failure reason, in characters.");
    public static final Setting TASK_DEFAULT_TTL =
            duration("task-default-ttl", "5m", "Claim TTL when a claimer names none; renew before it runs out.");
    public static final Setting TASK_MAX_TTL = duration("task-max-ttl", "1h", "Longest TTL a task claim may ask for.");
    public static final Setting TASK_MAX_ATTEMPTS =
            count("task-max-attempts", "3", "Attempts a task gets when its creator names none (at most 50).");
    public static final Setting TASK_RETRY_BASE = duration(
            "task-retry-base",
            "10s",
            "A failed task waits this long before it is queued again, doubled with each attempt up to task-retry-max.");
    public static final Setting TASK_RETRY_MAX =
            duration("task-retry-max", "10m", "Longest wait before a failed task's retry.");
    public static final Setting TASK_EVENTS_CHANNEL = text(
            "task-events-channel",
            "tasks",
            "Chat channel where the hub posts task changes (also seen on /api/events); empty for none.");
    public static final Setting SCALING_WINDOW = duration(
            "scaling-window",
            "5m",
            "Rolling window of the pool statistics (claims per minute, success rate, task duration) and of the scaling"
                    + " rules; the latency trend compares it with the window before.");
    public static final Setting SCALING_HIGH_UTILIZATION = text(
            "scaling-high-utilization",
            "0.8",
            "Busy over online agents of a pool above which GET /api/scaling recommends adding agents (0-1).");
    public static final Setting SCALING_MAX_STEP =
            count("scaling-max-step", "5", "Most agents one scaling recommendation adds or removes.");
    public static final Setting SCALING_MIN_AGENTS =
            count("scaling-min-agents", "1", "Fewest online agents a scale-down recommendation leaves in a pool.");
    public static final Setting ROLLOUT_INTERVAL = duration(
            "rollout-interval",
            "1m",
            "How often running canaries are judged (step, promotion or automatic rollback); once per rollout and"
                    + " decision however many hub nodes evaluate.");
    public static final Setting ROLLOUT_MIN_SAMPLES = count(
            "rollout-min-samples",
            "5",
            "Finished attempts the canary needs in a step before its health decides (rollback or next step).");
    public static final Setting MESSAGE_MAX_CHARS =
            count("message-max-chars", "16384", "Longest chat message or DM, in characters; longer ones get 413.");
    public static final Setting MESSAGE_RETENTION = duration("message-retention", "7d", "How long messages are kept.");
    public static final Setting CHANNEL_CAP =
            count("channel-cap", "10000", "Most messages kept per chat channel; older ones are deleted first.");
    public static final Setting LONG_POLL_MAX =
            duration("long-poll-max", "30s", "Longest wait= a long-poll may ask for.");
    public static final Setting CHECKPOINT_KEEP = count("checkpoint-keep", "20", "Checkpoint versions kept per agent.");
    public static final Setting MAX_BODY_BYTES =
            count("max-body-bytes", "1048576", "Largest accepted request body; larger ones get 413.");
    public static final Setting MEMORY_DECAY_AFTER = durationOrZero(
            "memory-decay-after",
            "30d",
            "A shared memory never recalled and not written again for this long is removed by consolidation; 0s keeps"
                    + " every entry.");
    public static final Setting MEMORY_CONSOLIDATE_INTERVAL = duration(
            "memory-consolidate-interval",
            "6h",
            "How often memory consolidation runs (merges near duplicates, decays entries); also on demand with hub"
                    + " memories consolidate.");
    public static final Setting MEMORY_CONSOLIDATE_BATCH = count(
            "memory-consolidate-batch",
            "500",
            "Most memory entries one consolidation pass compares (the newest) and most it decays.");
    public static final Setting HOT_START_MAX_CHARS =
            count("hot-start-max-chars", "24000", "Default size budget of the hot-start prompt, in characters.");
    public static final Setting MCP_ALLOWED_ORIGINS = text(
            "mcp-allowed-origins",
            "",
            "Browser origins allowed to call /mcp, comma-separated (e.g. https://app.example:443; host:* allows any"
                    + " port). Empty: http://127.0.0.1, localhost and [::1] at the hub's port. * allows any.");
    public static final Setting MCP_ALLOWED_HOSTS = text(
            "mcp-allowed-hosts",
            "",
            "Host header values accepted on /mcp (DNS-rebinding protection), comma-separated (e.g. hub.internal:7700;"
                    + " name:* allows any port). Empty: 127.0.0.1, localhost and [::1] at the hub's port. * accepts"
                    + " any.");

    public static final Setting JOIN_KEY_LABELS = text(
            "join-key-labels",
            "",
            "Labels fixed by a join key, per join key label: web-key:pool=web;ops-key:pool=ops,core=true. An agent"
                    + " enrolling with that key gets them. Privileged labels (pool, wake-url, the tier-core-label key)"
                    + " are set only by an admin or by this setting; an agent setting them on itself gets 403.");
    public static final Setting WAKE_ALLOWED_HOSTS = text(
            "wake-allowed-hosts",
            "loopback",
            "Hosts the hub may POST a wake-up to (wake-url labels), comma-separated host names or IP addresses;"
                    + " loopback allows any name that resolves only to loopback addresses. Checked at each wake-up"
                    + " after DNS resolution. Empty: no wake-ups are sent.");
    public static final Setting RATE_LIMIT_WRITES = text(
            "rate-limit-writes",
            "600,200",
            "Per agent: writes (leases, heartbeats, checkpoints, handoffs, ...) per minute, then the burst (most at"
                    + " once). Over it: 429 with Retry-After. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_READS =
            text("rate-limit-reads", "1200,300", "Per agent: reads (GET) per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_CHAT = text(
            "rate-limit-chat",
            "100,50",
            "Per agent: chat posts and direct messages per minute, burst (the guide's 100 msg/min). 0: off.");
    public static final Setting RATE_LIMIT_MEMORIES =
            text("rate-limit-memories", "120,60", "Per agent: memory writes per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_ERRORS =
            text("rate-limit-errors", "120,60", "Per agent: error reports per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_MCP =
            text("rate-limit-mcp", "1200,300", "Per agent: calls to /mcp per minute, burst. 0 turns the limit off.");
    public static final Setting RATE_LIMIT_ANONYMOUS = text(
            "rate-limit-anonymous",
            "120,60",
            "Per client address: calls without a valid token (enrolment, failed authentication) per minute, burst."
                    + " 0 turns the limit off.");

    public static final Setting MEMORY_QUOTA_ENTRIES = countOrZero(
            "memory-quota-entries",
            "10000",
            "Most live (not forgotten) memory entries one agent may keep; past it, writes get 409 quota_exceeded"
                    + " until it forgets some. 0: no quota.");
    public static final Setting MEMORY_QUOTA_BYTES = countOrZero(
            "memory-quota-bytes",
            "16777216",
            "Most bytes of memory content (UTF-8) one agent may keep in live entries; 0: no quota.");
    public static final Setting CHANNEL_QUOTA = countOrZero(
            "channel-quota",
            "20",
            "Most chat channels one agent may open (post in first) that still hold messages; past it, posting in a"
                    + " new channel gets 409 quota_exceeded. 0: no quota.");
    public static final Setting ERROR_ISSUE_QUOTA = countOrZero(
            "error-issue-quota",
            "200",
            "Most open (unresolved) error issues one agent may have opened; past it, reports with a new fingerprint"
                    + " get 409 quota_exceeded until some are resolved or ignored. 0: no quota.");
    public static final Setting CHECKPOINT_MAX_BYTES = count(
            "checkpoint-max-bytes",
            "262144",
            "Largest checkpoint (all its text and list items together, UTF-8 bytes); with checkpoint-keep it bounds"
                    + " an agent's checkpoint storage. Larger saves get 413.");

    public static final Setting PUBLIC_URL = text(
            "public-url",
            "",
            "The URL people open the hub at, e.g. https://ops.example.com/hub behind a reverse proxy that strips /hub;"
                    + " printed by hub serve and hub dashboard, and its path scopes the dashboard's session cookie."
                    + " Empty means http://<bind>:<port>/.");
    public static final Setting DASHBOARD_SESSION_TTL = duration(
            "dashboard-session-ttl", "12h", "How long a dashboard login lasts before the session cookie expires.");
    public static final Setting STALL_AFTER = duration(
            "stall-after",
            "5m",
            "An online agent without progress (no task or status change, lease, message, checkpoint, usage report or"
                    + " handoff step) for this long is stalled: the hub alerts and wakes it.");
    public static final Setting WAKE_TIMEOUT =
            duration("wake-timeout", "5s", "Timeout of the POST to a stalled agent's wake URL (its wake-url label).");
    public static final Setting CONTEXT_WARN_TOKENS = count(
            "context-warn-tokens",
            "150000",
            "Context size from which usage reports answer warn: save a checkpoint soon.");
    public static final Setting CONTEXT_TRANSFER_TOKENS = count(
            "context-transfer-tokens",
            "180000",
            "Context size from which usage reports answer transfer: checkpoint now and stop; the hub creates the"
                    + " transfer handoff.");
    public static final Setting CONTEXT_LIMITS = text(
            "context-limits",
            "",
            "Context thresholds per model or agent, comma-separated: MODEL-TEXT=WARN/TRANSFER or"
                    + " agent:ID=WARN/TRANSFER, e.g. haiku=120000/150000.");
    public static final Setting PRICES = text(
            "prices",
            io.agenthub.usage.PriceTable.DEFAULTS,
            "Price table, comma-separated MODEL-TEXT=INPUT/OUTPUT/CACHE-READ/CACHE-WRITE in USD per million tokens;"
                    + " the longest text contained in the model id wins, * prices any other model.");
    public static final Setting USAGE_TIME_ZONE =
            text("usage-time-zone", "UTC", "Time zone of the usage and budget day, e.g. Europe/Berlin.");
    public static final Setting BUDGET_INFO_USD =
            count("budget-info-usd", "100", "Fleet spend per day (whole USD) that posts an info notice.");
    public static final Setting BUDGET_WARN_USD =
            count("budget-warn-usd", "250", "Fleet spend per day (whole USD) that posts a warning asking for review.");
    public static final Setting BUDGET_THROTTLE_USD = count(
            "budget-throttle-usd",
            "500",
            "Fleet spend per day (whole USD) that alerts and throttles: agents get slow_down, non-essential agents"
                    + " take new work at most once per throttle-delay.");
    public static final Setting BUDGET_HALT_USD = count(
            "budget-halt-usd",
            "1000",
            "Fleet spend per day (whole USD) that halts: agents get halt and only admins start new work until an"
                    + " admin acknowledges.");
    public static final Setting THROTTLE_DELAY = duration(
            "throttle-delay",
            "30s",
            "Delay recommended with slow_down, and the least time between new work of a non-essential agent while"
                    + " throttled.");
    public static final Setting LLM_THROTTLE_RATE = text(
            "llm-throttle-rate",
            "30,10",
            "Fleet-wide: LLM throttling reports (provider 429/529, sent as error reports or usage reports with status)"
                    + " tolerated per minute, burst; past it the hub backs off on its own and tells every agent"
                    + " slow_down. 0 turns the rule off.");
    public static final Setting LLM_BACKOFF_DELAY = duration(
            "llm-backoff-delay",
            "30s",
            "Delay between model calls that slow_down asks for while the hub backs off from LLM throttling.");
    public static final Setting LLM_BACKOFF_HOLD = duration(
            "llm-backoff-hold",
            "2m",
            "How long the LLM throttling back-off lasts after the last report past llm-throttle-rate; it ends by"
                    + " itself when the reports stop.");
    public static final Setting ESSENTIAL_AGENTS =
            text("essential-agents", "", "Agents never throttled (they still halt), comma-separated ids or pool:NAME.");
    public static final Setting AGENT_DAILY_BUDGET_USD = text(
            "agent-daily-budget-usd",
            "",
            "Every agent's own daily budget in USD; past it the agent halts until acknowledged. Empty: none.");
    public static final Setting AGENT_BUDGETS_USD = text(
            "agent-budgets-usd",
            "",
            "Daily budgets of named agents, comma-separated ID=USD; they override agent-daily-budget-usd.");
    public static final Setting MODEL_ROUTING = text(
            "model-routing",
            io.agenthub.usage.RoutingPolicy.DEFAULTS,
            "Model routing advice per task complexity: simple=MODEL,moderate=MODEL,complex=MODEL.");
    public static final Setting HANDOFF_TTL = duration(
            "handoff-ttl",
            "30m",
            "How long a handoff waits to be accepted; a named recipient's handoff then goes back to the pool for as"
                    + " long again, then expires with an alert.");
    public static final Setting REAPED_LEASES = text(
            "reaped-leases",
            "handoff",
            "What the reaper does with a silent agent's leases: handoff (offer them to its pool; each lease still"
                    + " ends at its own expiry, and whoever accepts gets fresh ones) or release.");
    public static final Setting OPS_CHANNEL = text(
            "ops-channel",
            "ops",
            "Chat channel of hub notices: presence changes, stalls and wakes, transfers and handoffs, alerts, budgets,"
                    + " tier changes, self-test results, disabled agents and key rotations. An agent gets in its inbox"
                    + " only the notices that concern it; hot-start's recent chat leaves notices out.");
    public static final Setting ALERT_CHANNEL = text(
            "alert-channel", "", "Former name of ops-channel, still read: if set, hub notices go to this channel.");
    public static final Setting METRICS_TOKEN = new Setting(
            "metrics-token",
            "",
            "Bearer token that may only scrape /metrics (for Prometheus); viewer, agent and admin tokens work too.",
            true);
    public static final Setting ERROR_EVENTS_PER_ISSUE =
            count("error-events-per-issue", "100", "Occurrences kept per error issue; older ones are deleted first.");
    public static final Setting ERROR_RATE_WINDOW = duration(
            "error-rate-window",
            "5m",
            "Rolling window of the error rate, coordination conflicts and average response (status, alerts, errors"
                    + " overview).");
    public static final Setting TIER_CORE_LABEL = text(
            "tier-core-label", "core=true", "Label (key=value) of core agents, which keep taking new work in tier 2.");
    public static final Setting TIER_DESIGNATED_AGENT = text(
            "tier-designated-agent",
            "",
            "Agent that keeps taking new work in tier 3 when the admin or rule that set it names none.");
    public static final Setting TIER_RETRY_AFTER =
            duration("tier-retry-after", "60s", "Retry-After of requests refused because of the tier.");
    public static final Setting TIER_AUTO_ERROR_RATE = text(
            "tier-auto-error-rate",
            "0.25",
            "Rule ErrorStorm: an error rate above this for tier-auto-for puts the hub in tier 2 until it drops.");
    public static final Setting TIER_AUTO_PASS_RATE = text(
            "tier-auto-pass-rate",
            "0.5",
            "Rule SelfTestCritical: a self-test pass rate below this puts the hub in tier 2 until it recovers.");
    public static final Setting TIER_AUTO_FOR = durationOrZero(
            "tier-auto-for", "5m", "How long ErrorStorm's condition must hold before it changes the tier.");
    public static final Setting ALERT_INTERVAL =
            duration("alert-interval", "30s", "How often alert rules and automatic tier rules are evaluated.");
    public static final Setting ALERT_DISABLED =
            text("alert-disabled", "", "Comma-separated alert rules to switch off, e.g. AgentsStalled,ErrorStorm.");
    public static final Setting ALERT_AGENTS_DOWN_FOR = durationOrZero(
            "alert-agents-down-for", "0s", "How long no agent may be online before AllAgentsDown fires.");
    public static final Setting ALERT_ERROR_RATE =
            text("alert-error-rate", "0.05", "HighErrorRate fires when the error rate stays above this.");
    public static final Setting ALERT_ERROR_RATE_FOR = durationOrZero(
            "alert-error-rate-for", "5m", "How long the error rate must stay high before HighErrorRate fires.");
    public static final Setting ALERT_STALLED_FOR = durationOrZero(
            "alert-stalled-for", "5m", "How long some agent must stay stalled before AgentsStalled fires.");
    public static final Setting ALERT_DAILY_TOKEN_BUDGET = text(
            "alert-daily-token-budget",
            "",
            "Tokens per day (UTC) above which TokenBudgetExceeded fires; empty switches the rule off.");
    public static final Setting ALERT_SELF_TEST_PASS_RATE = text(
            "alert-self-test-pass-rate", "1.0", "SelfTestFailing fires when the self-test pass rate is below this.");
    public static final Setting ALERT_WEBHOOKS = new Setting(
            "alert-webhooks",
            "",
            "Comma-separated webhook URLs for alerts; prefix one with slack: for a Slack-compatible body, else it"
                    + " gets the generic JSON.",
            true);
    public static final Setting ALERT_WEBHOOK_ATTEMPTS =
            count("alert-webhook-attempts", "4", "Delivery attempts per alert and webhook before giving up.");
    public static final Setting ALERT_WEBHOOK_BACKOFF = duration(
            "alert-webhook-backoff", "2s", "Wait before the first retry of a webhook; doubles with each retry.");
    public static final Setting STATUS_AGENT_COUNT =
            text("status-agent-count", "2,1", "Status thresholds good,warning: active agents (good at or above).");
    public static final Setting STATUS_AVG_RESPONSE = text(
            "status-avg-response", "5,15", "Status thresholds good,warning: average response in seconds (good below).");
    public static final Setting STATUS_ERROR_RATE =
            text("status-error-rate", "0.01,0.05", "Status thresholds good,warning: error rate (good below).");
    public static final Setting STATUS_CONFLICT_RATE =
            text("status-conflict-rate", "0.05,0.10", "Status thresholds good,warning: lease conflicts (good below).");
    public static final Setting STATUS_PASS_RATE = text(
            "status-pass-rate", "1.0,0.95", "Status thresholds good,warning: self-test pass rate (good at or above).");
    public static final Setting SELF_TEST_INTERVAL =
            duration("self-test-interval", "5m", "How often the self-test runs as a synthetic transaction.");
    public static final Setting SELF_TEST_ON_START =
            text("self-test-on-start", "true", "Run the self-test when the hub starts (every deploy): true or false.");
    public static final Setting SECURITY_EVENT_RETENTION = duration(
            "security-event-retention",
            "30d",
            "How long security events (refused calls, quota refusals, privileged label changes, text findings) are"
                    + " kept, in per-minute counts, for the safety report.");
    public static final Setting TOKEN_IDLE_AFTER = duration(
            "token-idle-after",
            "7d",
            "The safety report lists an agent's token as unused when the agent has not called the hub for this long.");
    public static final Setting DRILL_INTERVAL = durationOrZero(
            "drill-interval",
            "7d",
            "How often the hub runs the coordination drill (simulated agents in a scratch namespace; GET /api/drills),"
                    + " posts the result to the ops channel and alerts when it fails; 0s switches the schedule off.");
    public static final Setting TRACE_RETENTION =
            duration("trace-retention", "24h", "How long agents' trails (GET /api/trace) are kept.");
    public static final Setting TRACE_MAX_ENTRIES = count(
            "trace-max-entries",
            "1000000",
            "Most trail entries kept, all agents together (the oldest go first): bounds the store under heavy load.");
    public static final Setting TASK_RETENTION = duration(
            "task-retention",
            "7d",
            "How long finished tasks (done, cancelled, dead) are kept, with their history, after they ended; tasks"
                    + " not finished are never deleted.");
    public static final Setting LEASE_HISTORY_RETENTION = duration(
            "lease-history-retention",
            "1d",
            "How long released and expired lease grants are kept (the lease history) before they are forgotten.");
    public static final Setting COUNTER_RETENTION = duration(
            "counter-retention",
            "2d",
            "How long the per-minute operational counters (request and error rates, charts) are kept.");
    public static final Setting ERROR_RETENTION =
            duration("error-retention", "30d", "How long the hourly counts of agents' error reports are kept.");
    public static final Setting ALERT_HISTORY_RETENTION =
            duration("alert-history-retention", "30d", "How long alert transitions (the alert history) are kept.");
    public static final Setting HOOK_CONTEXT_MAX_CHARS = count(
            "hook-context-max-chars",
            "12000",
            "Size budget, in characters, of the hot-start briefing the Claude Code SessionStart hook adds to the"
                    + " model's context.");
    public static final Setting HOOK_INBOX_MAX_CHARS = count(
            "hook-inbox-max-chars",
            "4000",
            "Most characters of new messages the UserPromptSubmit hook adds to the model's context per prompt; the"
                    + " rest waits for the next prompt.");
    public static final Setting HOOK_LEASE_AUTO_ACQUIRE = text(
            "hook-lease-auto-acquire",
            "false",
            "true: the PreToolUse hook acquires the lease of a free file for the agent that edits it (for"
                    + " lease-default-ttl); false: it only refuses edits of files others hold.");
    public static final Setting HOOK_SESSION_END_LEASES = text(
            "hook-session-end-leases",
            "release",
            "What the SessionEnd hook does with the agent's leases when a session ends (not on clear or resume):"
                    + " release, handoff (offer them and the latest checkpoint to the agent's pool) or keep.");
    public static final Setting HOOK_TRANSCRIPTS = text(
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
            REDIS_REQUEST_BUDGET,
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
            CHANNEL_QUOTA,
            ERROR_ISSUE_QUOTA,
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
            LLM_THROTTLE_RATE,
            LLM_BACKOFF_DELAY,
            LLM_BACKOFF_HOLD,
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
            TRACE_MAX_ENTRIES,
            SECURITY_EVENT_RETENTION,
            TOKEN_IDLE_AFTER,
            TASK_RETENTION,
            LEASE_HISTORY_RETENTION,
            COUNTER_RETENTION,
            ERROR_RETENTION,
            ALERT_HISTORY_RETENTION,
            HOOK_CONTEXT_MAX_CHARS,
            HOOK_INBOX_MAX_CHARS,
            HOOK_LEASE_AUTO_ACQUIRE,
            HOOK_SESSION_END_LEASES,
            HOOK_TRANSCRIPTS);

    /**
     * What a setting's value is, with the rule every value of it keeps; {@link HubConfig} checks each setting by its
     * type at start-up and fails with the setting's name. Rules that relate settings to each other or parse a format
     * of their own (labels, prices, lists) are checked there too.
     */
    public enum Type {
        /** Free text, possibly empty. */
        TEXT,
        /** A TCP port, 0 (any free port) to 65535. */
        PORT,
        /** A whole number, at least 1. */
        COUNT,
        /** A whole number, 0 or more, where zero has a meaning of its own ("no quota"). */
        COUNT_OR_ZERO,
        /** A duration such as {@code 30s}, {@code 10m}, {@code 2h} or {@code 7d}, positive. */
        DURATION,
        /** A duration where zero has a meaning of its own ("at once" for a hold time, "never" for an age). */
        DURATION_OR_ZERO
    }

    /** A setting that is not a secret, of type {@link Type#TEXT}. */
    public Setting(String key, String defaultValue, String description, boolean secret) {
        this(key, defaultValue, description, secret, Type.TEXT);
    }

    private static Setting text(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, Type.TEXT);
    }

    private static Setting port(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, Type.PORT);
    }

    private static Setting count(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, Type.COUNT);
    }

    private static Setting countOrZero(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, Type.COUNT_OR_ZERO);
    }

    private static Setting duration(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, Type.DURATION);
    }

    private static Setting durationOrZero(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, Type.DURATION_OR_ZERO);
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
