package io.agenthub.server.config;

/** This build's version, as the hub reports it (health, exports, the User-Agent of its own calls). */
public final class Version {
    public static final String CURRENT = "0.1.0";

    private Version() {}
}
