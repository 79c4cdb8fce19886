/**
 * Agents and presence: profiles, heartbeats, and the reaper that judges presence from the time of each agent's last
 * authenticated call (online, stale after missed heartbeats, offline) and frees the leases of agents that went silent.
 */
package io.agenthub.agent;
