package io.agenthub.agent;

/** What an agent says it is doing. */
public enum AgentStatus {
    ACTIVE,
    IDLE,
    BUSY,
    BLOCKED
}
