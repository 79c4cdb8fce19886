package io.agenthub.task;

/**
 * Told of every change of a task after it is stored (events, audit of deaths, the errors tool). Must not throw: a
 * listener's failure never undoes or fails the change.
 */
@FunctionalInterface
public interface TaskListener {
    TaskListener NONE = (kind, task, detail) -> {};

    /**
     * @param kind {@code created}, {@code claimed}, {@code completed}, {@code failed}, {@code requeued}, {@code dead} or
     *     {@code cancelled}
     * @param detail the reason or a short note, possibly empty
     */
    void changed(String kind, Task task, String detail);
}
