/**
 * The Redis backend: every storage SPI on Redis 7 (or Valkey) without modules, so that several hub nodes share one
 * source of truth. Each operation that decides is one Lua script (run with {@code EVALSHA}); key names live in {@link
 * io.agenthub.store.redis.RedisKeys} under a configurable prefix, with hash tags that keep every script in one Redis
 * Cluster slot; a pub/sub channel wakes long-polls on every node; and {@link io.agenthub.store.redis.RedisClock} gives
 * all nodes one clock, derived from the server's.
 */
package io.agenthub.store.redis;
