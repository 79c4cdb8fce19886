package io.agenthub.agent;

/** Whether an agent is still there, judged by the hub from the time of its last authenticated call. */
public enum Presence {
    /** Seen within the stale threshold. */
    ONLINE,
    /** Missed the configured number of heartbeats. */
    STALE,
    /** Silent for longer than the offline threshold. */
    OFFLINE
}
