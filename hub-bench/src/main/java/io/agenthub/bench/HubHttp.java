package io.agenthub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's HTTP API as the simulated agents use it: JSON over HTTP/1.1 with a bearer token, through a few
 * {@link HttpClient}s, or through the leaner {@link SocketClient} ({@code --transport socket}). Each HttpClient has one
 * selector thread. A caller-chosen key (the agent's index) picks both the hub node and the client: with several base
 * URLs (nodes of one hub sharing a store), key {@code k} goes to URL {@code k mod n}, so consecutive agents are dealt
 * round-robin across the nodes, and one agent always uses the same node, client and pooled connections. Callbacks run
 * on virtual threads.
 *
 * <p>{@link #send} never throws for HTTP or network failures: they come back as a {@link Response} so that workloads
 * can count them.
 */
final class HubHttp implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> bases;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient[] clients;
    private final LongAdder[] requests;
    private final SocketClient[] sockets;

    /**
     * @param bases the hub's base URLs, one per node; at least one
     * @param clientCount how many {@link HttpClient}s share the requests (one selector thread each)
     * @param sockets send through {@link SocketClient} instead of {@link HttpClient} (event streams still use the
     *     latter)
     */
    HubHttp(List<URI> bases, int clientCount, boolean sockets) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no hub URL");
        }
        this.bases = List.copyOf(bases);
        this.requests = new LongAdder[this.bases.size()];
        this.sockets = sockets ? new SocketClient[this.bases.size()] : null;
        for (int i = 0; i < this.bases.size(); i++) {
            requests[i] = new LongAdder();
            if (sockets) {
                this.sockets[i] = new SocketClient(this.bases.get(i));
            }
        }
        this.clients = new HttpClient[Math.max(1, clientCount)];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .executor(executor)
                    .build();
        }
    }

    /** A request as the workloads describe it; {@link #send} turns it into bytes for the chosen transport. */
    record Request(String method, String pathAndQuery, String token, byte[] body, Duration timeout) {}

    Request get(String pathAndQuery, String token, Duration timeout) {
        return new Request("GET", pathAndQuery, token, null, timeout);
    }

    Request post(String path, String token, Object body, Duration timeout) {
        return new Request("POST", path, token, JSON.writeValueAsBytes(body), timeout);
    }

    /** Sends a request and reads the whole reply; failures come back as a {@link Response} with status 0. */
    Response send(int key, Request request) throws InterruptedException {
        int target = target(key);
        requests[target].increment();
        if (sockets != null) {
            return sockets[target].send(request.method(), request.pathAndQuery(), request.token(), request.body(), (int)
                    Math.min(Integer.MAX_VALUE, request.timeout().toMillis()));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(bases.get(target).resolve(request.pathAndQuery()))
                .timeout(request.timeout());
        if (request.token() != null) {
            b.header("Authorization", "Bearer " + request.token());
        }
        if (request.body() != null) {
            b.header("Content-Type", "application/json")
                    .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<byte[]> r = client(key).send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), null);
        } catch (HttpTimeoutException e) {
            return Response.failed("timeout after " + request.timeout().toSeconds() + " s");
        } catch (IOException e) {
            return Response.failed(Response.describe(e));
        }
    }

    /**
     * Starts a request whose body is read as a stream, for server-sent events; its URI should come from
     * {@link #resolve} with the same key.
     */
    CompletableFuture<HttpResponse<InputStream>> stream(int key, HttpRequest request) {
        requests[target(key)].increment();
        return client(key).sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A path on the node that {@code key} is sent to. */
    URI resolve(int key, String pathAndQuery) {
        return bases.get(target(key)).resolve(pathAndQuery);
    }

    /** The base URLs, in the order given. */
    List<URI> bases() {
        return bases;
    }

    /** Index in {@link #bases()} of the node that requests with this key go to: round-robin by key. */
    int target(int key) {
        return Math.floorMod(key, bases.size());
    }

    /** Requests sent so far, to all nodes. */
    long requests() {
        long sum = 0;
        for (LongAdder r : requests) {
            sum += r.sum();
        }
        return sum;
    }

    /** Requests sent so far to each node, in the order of {@link #bases()}. */
    long[] requestsByNode() {
        long[] out = new long[requests.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = requests[i].sum();
        }
        return out;
    }

    /**
     * The {@link HttpClient} of a key. Keys that go to one node are spread over all clients (key / nodes), so that
     * each node's agents use every selector thread.
     */
    private HttpClient client(int key) {
        return clients[Math.floorMod(Math.floorDiv(key, bases.size()), clients.length)];
    }

    /** Aborts whatever is still in flight and closes every connection. */
    @Override
    public void close() {
        if (sockets != null) {
            for (SocketClient s : sockets) {
                s.close();
            }
        }
        for (HttpClient c : clients) {
            c.shutdownNow();
        }
        executor.shutdownNow();
    }
}
