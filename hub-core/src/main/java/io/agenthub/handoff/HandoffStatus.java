package io.agenthub.handoff;

/** Where a handoff stands. Pending and accepted handoffs are open; the others are final. */
public enum HandoffStatus {
    /** Waiting for a recipient to accept it, until it expires. */
    PENDING,
    /** Taken by one recipient, who holds the listed leases and works on it. */
    ACCEPTED,
    /** The named recipient refused it. */
    DECLINED,
    /** The recipient finished it. */
    COMPLETED,
    /** Nobody accepted it in time, also after it went back to the pool. */
    EXPIRED,
    /** The sender (or an admin) withdrew it before anyone accepted it. */
    CANCELLED;

    public boolean open() {
        return this == PENDING || this == ACCEPTED;
    }
}
