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
 * {@link HttpClient}s. Each client has one selector thread; requests are spread over them by a caller-chosen key (the
 * agent's index) so that one agent always uses the same client and its pooled connections. Callbacks run on virtual
 * threads.
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

    HubHttp(URI base, int clientCount) {
        this.base = base;
        this.clients = new HttpClient[Math.max(1, clientCount)];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .executor(executor)
                    .build();
        }
    }

    HttpRequest get(String pathAndQuery, String token, Duration timeout) {
        return request(pathAndQuery, token, timeout).GET().build();
    }

    HttpRequest post(String path, String token, Object body, Duration timeout) {
        return request(path, token, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
    }

    private HttpRequest.Builder request(String path, String token, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Sends a request and reads the whole reply; failures come back as a {@link Response} with status 0. */
    Response send(int key, HttpRequest request) throws InterruptedException {
        requests.increment();
        try {
            HttpResponse<byte[]> r = client(key).send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), null);
        } catch (HttpTimeoutException e) {
            return Response.failed(
                    "timeout after " + request.timeout().orElseThrow().toSeconds() + " s");
        } catch (IOException e) {
            return Response.failed(e.getClass().getSimpleName());
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
        for (HttpClient c : clients) {
            c.shutdownNow();
        }
        executor.shutdownNow();
    }
}
