package io.agenthub.message;

/**
 * What happened to messages, told after the store's atomic append: the one way the side effects of storing a message
 * (metrics, the author's trail) are attached. The message service tells its observers of every message it stores
 * (posts, direct messages, hub notices and announcements). Observers are cheap and never fail the operation.
 */
public interface MessageEvents {
    /** Observes nothing. */
    MessageEvents NONE = stored -> {};

    /** {@code stored} was appended, with its cursor assigned. */
    void stored(Message stored);
}
