package io.agenthub.selftest;

import java.util.Objects;

/**
 * The outcome of one self-test check.
 *
 * @param name a stable name, e.g. {@code lease-conflict}
 * @param capability the capability it exercises, e.g. {@code leases}
 * @param message what was verified, or why it failed or was skipped
 */
public record CheckResult(String name, String capability, Status status, long latencyMillis, String message) {
    /** Passed, failed, or skipped (not applicable here). */
    public enum Status {
        PASS,
        FAIL,
        SKIP
    }

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
    }
}
