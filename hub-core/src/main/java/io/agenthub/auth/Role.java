package io.agenthub.auth;

/** What a principal may do. */
public enum Role {
    /** A working agent: reads everything shared, writes as itself. */
    AGENT,
    /** An operator: everything, including acting on other agents' behalf where an endpoint allows it. */
    ADMIN,
    /** A read-only observer such as a dashboard. */
    VIEWER;

    public boolean canWrite() {
        return this != VIEWER;
    }
}
