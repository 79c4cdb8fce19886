package io.agenthub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * A closed loop: a fixed number of clients, each on its own virtual thread, each sending its next request as soon as
 * the previous one is answered. Throughput is what the hub sustains at that concurrency; latency is service time,
 * measured from the moment each request is sent.
 */
final class ClosedLoop {
    /** One iteration of a client: one request, or a short fixed sequence such as acquire then release. */
    @FunctionalInterface
    interface Step {
        void run() throws InterruptedException;
    }

    private ClosedLoop() {}

    /**
     * Runs {@code clients} loops until the window closes; returns when every loop has finished its last step. A step
     * that throws (a bug in the bench, never an HTTP failure) fails the whole run rather than quietly losing a client.
     */
    static void run(int clients, Window window, IntFunction<Step> stepOfClient) throws InterruptedException {
        List<Future<?>> loops = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                Step step = stepOfClient.apply(i);
                loops.add(threads.submit(() -> {
                    while (!window.closed()) {
                        step.run();
                    }
                    return null;
                }));
            }
        }
        for (Future<?> loop : loops) {
            try {
                loop.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("A client loop failed: " + e.getCause(), e.getCause());
            }
        }
    }
}
