package io.agenthub.usage;

import java.time.Instant;
import java.util.Objects;

/** A human's acknowledgement that lifted a halt: which halt, who, when and why. */
public record Acknowledgement(Halt halt, String by, String note, Instant at) {
    public Acknowledgement {
        Objects.requireNonNull(halt, "halt");
        Objects.requireNonNull(by, "by");
        note = note == null ? "" : note;
        Objects.requireNonNull(at, "at");
    }
}
