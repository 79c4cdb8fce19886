package io.agenthub.bench;

import java.net.URI;
import java.time.Duration;

/**
 * The options of one benchmark run, shared by every workload.
 *
 * @param url base URL of the hub; always a loopback address
 * @param seconds measured duration of each workload
 * @param warmup seconds each workload runs before measuring starts
 * @param clients concurrent clients of the closed-loop workloads
 * @param agents simulated agents of {@code mixed} and {@code connections}; null means each workload's own default
 * @param pool size of the shared resource pool of {@code lease}; 0 gives every client its own resource
 * @param sse hold {@code GET /api/events} streams instead of inbox long-polls in {@code connections}
 * @param channel the chat channel of {@code chat-post} and {@code chat-read}
 * @param httpClients how many {@code HttpClient}s (each with its own selector thread) share the load
 * @param timeout per-request timeout; a request that takes longer is an error
 * @param ramp seconds over which {@code connections} opens its long-polls, before measuring starts
 * @param runId a short random id that keeps this run's agents and resources apart from earlier runs on the same hub
 * @param hubPid the hub's process id, to measure its CPU time; null if unknown
 * @param sockets send requests through {@link SocketClient} rather than {@link java.net.http.HttpClient}
 */
record Settings(
        URI url,
        double seconds,
        double warmup,
        int clients,
        Integer agents,
        int pool,
        boolean sse,
        String channel,
        int httpClients,
        Duration timeout,
        double ramp,
        String runId,
        Long hubPid,
        boolean sockets) {

    /** A new client for one workload; closing it aborts what is still in flight. */
    HubHttp http() {
        return new HubHttp(url, httpClients, sockets);
    }

    int agentsOr(int fallback) {
        return agents != null ? agents : fallback;
    }
}
