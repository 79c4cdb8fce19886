package io.agenthub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's HTTP API as the simulated agents use it: JSON over HTTP/1.1 with a bearer token, through a few
 * {@link HttpClient}s, or through the leaner {@link SocketClient} ({@code --transport socket}). Each HttpClient has one
 * selector thread; requests are spread over them by a caller-chosen key (the agent's index) so that one agent always
 * uses the same client and its pooled connections. Callbacks run on virtual threads.
 *
 * <p>{@link #send} never throws for HTTP or network failures: they come back as a {@link Response} so that workloads
 * can count them.
 */
final class HubHttp implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient[] clients;
    private final LongAdder requests = new LongAdder();
    private final SocketClient sockets;

    /**
     * @param clientCount how many {@link HttpClient}s share the requests (one selector thread each)
     * @param sockets send through {@link SocketClient} instead of {@link HttpClient} (event streams still use the
     *     latter)
     */
    HubHttp(URI base, int clientCount, boolean sockets) {
        this.base = base;
        this.sockets = sockets ? new SocketClient(base) : null;
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
        requests.increment();
        if (sockets != null) {
            return sockets.send(request.method(), request.pathAndQuery(), request.token(), request.body(), (int)
                    Math.min(Integer.MAX_VALUE, request.timeout().toMillis()));
        }
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(request.pathAndQuery())).timeout(request.timeout());
        if (request.token() != null) {
            b.header("Authorization", "Bearer " + request.token());
        }
        if (request.body() != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
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

    /** Starts a request whose body is read as a stream, for server-sent events. */
    CompletableFuture<HttpResponse<InputStream>> stream(int key, HttpRequest request) {
        requests.increment();
        return client(key).sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Requests sent so far. */
    long requests() {
        return requests.sum();
    }

    private HttpClient client(int key) {
        return clients[Math.floorMod(key, clients.length)];
    }

    /** Aborts whatever is still in flight and closes every connection. */
    @Override
    public void close() {
        if (sockets != null) {
            sockets.close();
        }
        for (HttpClient c : clients) {
            c.shutdownNow();
        }
        executor.shutdownNow();
    }
}
