package io.agenthub.server.http;

/** Who may call a route. */
public enum Access {
    /** No credential needed (health, enrolment). */
    PUBLIC,
    /** Any valid token, viewers included; for reads. */
    READ,
    /** Agents and admins; viewers are refused. */
    WRITE,
    /** Admins only. */
    ADMIN
}
