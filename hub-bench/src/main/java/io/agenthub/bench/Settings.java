package io.agenthub.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The options of one benchmark run, shared by every workload.
 *
 * @param urls base URLs of the hub, one per node (nodes sharing one store); each a loopback address. Clients and
 *     simulated agents are dealt round-robin across them; agents are created through the first
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
 * @param hubPids the hub nodes' process ids, to measure their CPU time; empty if unknown
 * @param sockets send requests through {@link SocketClient} rather than {@link java.net.http.HttpClient}
 * @param api the API the simulated agents speak: this hub's, or the original TypeScript hub's local server
 */
record Settings(
        List<URI> urls,
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
        List<Long> hubPids,
        boolean sockets,
        Api api) {

    Settings {
        urls = List.copyOf(urls);
        hubPids = List.copyOf(hubPids);
    }

    /** A new client for one workload; closing it aborts what is still in flight. */
    HubHttp http() {
        return new HubHttp(urls, httpClients, sockets);
    }

    int agentsOr(int fallback) {
        return agents != null ? agents : fallback;
    }
}
