package io.agenthub.server.mcp;

import io.agenthub.server.TestHub;
import io.agenthub.server.wire.JsonCodec;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Tool calls per second and latency of a lease cycle (acquire + release) and a chat post through {@code /mcp}, beside
 * the same operations through {@code /api}, in one run against one hub on a loopback port. Through MCP it measures
 * both the MCP Java SDK client and plain JSON-RPC posts (one keep-alive {@code java.net.http} client per worker, as for
 * the REST API), so the client's own cost can be told apart from the server's.
 *
 * <p>Run with {@code scripts/mcp-bench.sh [seconds-per-case] [workers...]}. Prints a markdown table.
 */
public final class McpBench {
    private static final AtomicLong SEQ = new AtomicLong();

    /** One way of calling the hub: a lease cycle and a chat post, each a whole operation. */
    private interface Endpoint extends AutoCloseable {
        void leaseCycle(String resource);

        void chatPost(String text);

        @Override
        void close();
    }

    private enum Kind {
        API("/api (REST)"),
        MCP_RAW("/mcp (JSON-RPC)"),
        MCP_SDK("/mcp (Java SDK client)");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int[] workers = args.length > 1
                ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8};
        try (TestHub hub = new TestHub(
                Map.of("lease-max-per-agent", "100000", "channel-cap", "1000000"), java.time.Clock.systemUTC())) {
            int agents = Arrays.stream(workers).max().orElse(1);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                tokens.add(hub.agent("bench-" + i));
            }
            System.out.printf(
                    "%nAgent Hub %s, %d cores, Java %s, %.0f s per case after a warm-up%n%n",
                    io.agenthub.server.Hub.VERSION,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    seconds);
            System.out.println("| operation | endpoint | workers | ops/s | tool calls/s | p50 ms | p99 ms |");
            System.out.println("|---|---|---|---|---|---|---|");
            // A warm-up pass over every case first, so that no case is measured on a cold JIT.
            for (boolean report : new boolean[] {false, true}) {
                for (String op : List.of("lease cycle", "chat post")) {
                    for (int n : workers) {
                        for (Kind kind : Kind.values()) {
                            run(
                                    hub,
                                    tokens.subList(0, n),
                                    kind,
                                    op,
                                    report ? seconds : Math.max(1, seconds / 2.5),
                                    report);
                        }
                    }
                }
            }
        }
    }

    private static void run(TestHub hub, List<String> tokens, Kind kind, String op, double seconds, boolean report)
            throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String token : tokens) {
                results.add(pool.submit(() -> {
                    try (Endpoint e = open(hub, kind, token)) {
                        long[] latencies = new long[1 << 16];
                        int count = 0;
                        while (System.nanoTime() < deadline) {
                            long start = System.nanoTime();
                            if (op.equals("lease cycle")) {
                                e.leaseCycle("bench/" + SEQ.incrementAndGet() + ".java");
                            } else {
                                e.chatPost("bench message " + SEQ.incrementAndGet());
                            }
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = System.nanoTime() - start;
                        }
                        return Arrays.copyOf(latencies, count);
                    }
                }));
            }
        }
        long[] all = results.stream()
                .flatMap(f -> {
                    try {
                        return Arrays.stream(f.get()).boxed();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .mapToLong(Long::longValue)
                .sorted()
                .toArray();
        if (report) {
            double opsPerSecond = all.length / seconds;
            int callsPerOp = op.equals("lease cycle") ? 2 : 1;
            System.out.printf(
                    "| %s | %s | %d | %.0f | %.0f | %.2f | %.2f |%n",
                    op,
                    kind.label,
                    tokens.size(),
                    opsPerSecond,
                    opsPerSecond * callsPerOp,
                    percentile(all, 0.50) / 1e6,
                    percentile(all, 0.99) / 1e6);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static Endpoint open(TestHub hub, Kind kind, String token) {
        return switch (kind) {
            case API -> new Rest(hub.url(), token);
            case MCP_RAW -> new JsonRpc(hub.url(), token);
            case MCP_SDK -> new Sdk(McpClients.http(hub.url(), token));
        };
    }

    /** The REST API with one keep-alive client. */
    private static final class Rest implements Endpoint {
        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String url;
        private final String token;

        Rest(String url, String token) {
            this.url = url;
            this.token = token;
        }

        @Override
        public void leaseCycle(String resource) {
            JsonNode lease = post("/api/leases", Map.of("resource", resource), 201);
            post(
                    "/api/leases/release",
                    Map.of("resource", resource, "token", lease.path("token").asLong()),
                    200);
        }

        @Override
        public void chatPost(String text) {
            post("/api/chat", Map.of("channel", "bench", "text", text), 201);
        }

        private JsonNode post(String path, Object body, int expected) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.MAPPER.writeValueAsBytes(body)))
                    .build();
            HttpResponse<byte[]> r = send(http, request);
            if (r.statusCode() != expected) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + new String(r.body()));
            }
            return JsonCodec.MAPPER.readTree(r.body());
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** {@code tools/call} as plain JSON-RPC posts to the stateless endpoint, with one keep-alive client. */
    private static final class JsonRpc implements Endpoint {
        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI endpoint;
        private final String token;
        private long id;

        JsonRpc(String url, String token) {
            this.endpoint = URI.create(url + "/mcp");
            this.token = token;
        }

        @Override
        public void leaseCycle(String resource) {
            JsonNode lease = call("lease_acquire", Map.of("resource", resource));
            call(
                    "lease_release",
                    Map.of("resource", resource, "token", lease.path("token").asLong()));
        }

        @Override
        public void chatPost(String text) {
            call("chat_send", Map.of("channel", "bench", "text", text));
        }

        private JsonNode call(String tool, Map<String, Object> arguments) {
            Map<String, Object> message = Map.of(
                    "jsonrpc",
                    "2.0",
                    "id",
                    ++id,
                    "method",
                    "tools/call",
                    "params",
                    Map.of("name", tool, "arguments", arguments));
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.MAPPER.writeValueAsBytes(message)))
                    .build();
            HttpResponse<byte[]> r = send(http, request);
            JsonNode result = JsonCodec.MAPPER.readTree(r.body()).path("result");
            if (r.statusCode() != 200 || result.path("isError").asBoolean(true)) {
                throw new IllegalStateException(tool + " failed: " + new String(r.body()));
            }
            return result.path("structuredContent");
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** The MCP Java SDK's synchronous client over Streamable HTTP. */
    private record Sdk(McpSyncClient client) implements Endpoint {
        @Override
        public void leaseCycle(String resource) {
            McpSchema.CallToolResult lease =
                    check(McpClients.call(client, "lease_acquire", Map.of("resource", resource)));
            long token = ((Number) McpClients.structured(lease).get("token")).longValue();
            check(McpClients.call(client, "lease_release", Map.of("resource", resource, "token", token)));
        }

        @Override
        public void chatPost(String text) {
            check(McpClients.call(client, "chat_send", Map.of("channel", "bench", "text", text)));
        }

        private static McpSchema.CallToolResult check(McpSchema.CallToolResult r) {
            if (Boolean.TRUE.equals(r.isError())) {
                throw new IllegalStateException(McpClients.text(r));
            }
            return r;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static HttpResponse<byte[]> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private McpBench() {}
}
