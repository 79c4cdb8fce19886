package io.agenthub.store;

import io.agenthub.agent.AgentStore;
import io.agenthub.audit.AuditStore;
import io.agenthub.auth.CredentialStore;
import io.agenthub.checkpoint.CheckpointStore;
import io.agenthub.lease.LeaseStore;
import io.agenthub.memory.MemoryStore;
import io.agenthub.message.MessageSignal;
import io.agenthub.message.MessageStore;

/**
 * One storage backend: an implementation of every domain's SPI over one shared source of truth. The composition root
 * picks one from the configuration; nothing else knows which.
 */
public interface Stores extends AutoCloseable {
    /** A short name for logs and health, e.g. {@code sqlite}. */
    String backend();

    CredentialStore credentials();

    AuditStore audit();

    AgentStore agents();

    LeaseStore leases();

    MessageStore messages();

    MemoryStore memories();

    CheckpointStore checkpoints();

    /** Wakes long-polls and event streams on every hub node that shares this backend. */
    MessageSignal messageSignal();

    /** Cheap check that the store answers; throws {@link io.agenthub.error.HubException.Unavailable} if not. */
    void ping();

    @Override
    void close();
}
