/**
 * Rollouts: how a new agent version of a pool receives the pool's tasks. A pool has at most one {@link
 * io.agenthub.rollout.Rollout}, kept in the store (so that it survives restarts and every hub node routes alike); the
 * work queue stamps each new task of the pool with the version the rollout routes it to, chosen by a hash of the task
 * id, and the claim's version matching does the rest. Canary rollouts grow the candidate's share in steps and are
 * judged by a scheduled evaluation against bounded per-version outcome counters; blue-green rollouts send tasks
 * labelled {@code test} to green until production is switched in one step.
 */
package io.agenthub.rollout;
