package io.agenthub.task;

/**
 * Chooses the version of a new task before it is stored: a pool's rollout stamps a version (and the {@value
 * TaskStore#ROUTED_LABEL} label) and may split new tasks between two versions by task id.
 */
@FunctionalInterface
public interface TaskRouter {
    /** Leaves every task as its creator asked. */
    TaskRouter NONE = spec -> new Routed(spec, null);

    /** The spec to store and the split to apply with the new id (null for none). */
    record Routed(NewTask spec, TaskStore.Split split) {}

    /** Called with a validated spec; a spec that names a version is the creator's choice and is left alone. */
    Routed route(NewTask spec);
}
