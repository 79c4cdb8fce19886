/**
 * Rate limits: token buckets per agent and per kind of call ({@link io.agenthub.ratelimit.RateLimiter.Kind}), and per
 * client address for calls without a valid token. {@link io.agenthub.ratelimit.RateLimitStore} keeps the buckets: in
 * memory where one process owns the store (SQLite), in the shared store where several hub nodes serve one hub
 * (Redis, one script call per check), so a flood cannot multiply its allowance by spreading over nodes.
 */
package io.agenthub.ratelimit;
