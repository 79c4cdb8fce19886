package io.agenthub.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * Why an agent is disabled: an admin switched it off, and until an admin enables it again it can neither enrol with a
 * join key nor be issued a token.
 *
 * @param by the admin who disabled it
 * @param at when
 * @param reason what the admin gave as the reason
 */
public record Disablement(String by, Instant at, String reason) {
    public Disablement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        reason = reason == null ? "" : reason;
    }
}
