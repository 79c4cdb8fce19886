package io.agenthub.cli;

/** A command that cannot go on, with a sentence that says what to do; printed as {@code hub: <message>}, exit 2. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }
}
