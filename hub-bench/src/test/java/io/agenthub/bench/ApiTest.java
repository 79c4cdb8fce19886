package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The lease cycle spoken to a server with the original hub's lock routes (a stand-in here, with its semantics: the
 * agent id in the body, 409 {@code success: false} while someone else holds the path, {@code DELETE} with a body that
 * answers 200 {@code released: false} for a non-holder), through both transports.
 */
class ApiTest {
    private final Map<String, String> locks = new ConcurrentHashMap<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest(name = "socket transport: {0}")
    @ValueSource(booleans = {true, false})
    void a_cycle_acquires_and_releases_and_a_held_path_is_a_conflict(boolean sockets) throws Exception {
        Settings s = settings(original(), sockets);
        Window always = new Window(Long.MIN_VALUE, Long.MAX_VALUE);
        OpRecorder pair = new OpRecorder("pair", always);
        OpRecorder acquire = new OpRecorder("acquire", always);
        OpRecorder release = new OpRecorder("release", always);
        SimAgent a = new SimAgent(0, "agent-a", null);
        SimAgent b = new SimAgent(1, "agent-b", null);
        try (HubHttp http = s.http()) {
            LeaseWorkload.cycle(http, s, a, "src/dir/file one.ts", true, System.nanoTime(), pair, acquire, release);
            assertThat(pair.stats().ok()).isEqualTo(1);
            assertThat(locks).isEmpty();

            locks.put("src/held.ts", "agent-a");
            LeaseWorkload.cycle(http, s, b, "src/held.ts", true, System.nanoTime(), pair, acquire, release);
            assertThat(pair.stats().conflicts()).isEqualTo(1);
            assertThat(pair.stats().errors()).isZero();
            assertThat(locks).containsEntry("src/held.ts", "agent-a");
        }
        assertThat(release.stats().ok()).isEqualTo(1);
    }

    @ParameterizedTest(name = "socket transport: {0}")
    @ValueSource(booleans = {true, false})
    void a_release_the_server_refuses_is_an_error_not_a_success(boolean sockets) throws Exception {
        Settings s = settings(original(), sockets);
        SimAgent a = new SimAgent(0, "agent-a", null);
        try (HubHttp http = s.http()) {
            Response r = s.api()
                    .released(http.send(0, s.api().release(http, a, "never/held", Response.failed("-"), s.timeout())));
            assertThat(r.status()).isZero();
            assertThat(r.describe()).isEqualTo("released: false");
        }
    }

    @ParameterizedTest(name = "socket transport: {0}")
    @ValueSource(booleans = {true, false})
    void conflicts_are_not_expected_on_a_resource_of_ones_own(boolean sockets) throws Exception {
        Settings s = settings(original(), sockets);
        Window always = new Window(Long.MIN_VALUE, Long.MAX_VALUE);
        OpRecorder pair = new OpRecorder("pair", always);
        locks.put("mine", "someone-else");
        try (HubHttp http = s.http()) {
            LeaseWorkload.cycle(
                    http,
                    s,
                    new SimAgent(0, "agent-a", null),
                    "mine",
                    false,
                    System.nanoTime(),
                    pair,
                    new OpRecorder("acquire", always),
                    new OpRecorder("release", always));
        }
        assertThat(pair.stats().errors()).isEqualTo(1);
        assertThat(pair.stats().errorKinds()).containsKey("acquire: HTTP 409");
    }

    private static Settings settings(URI url, boolean sockets) {
        return new Settings(
                List.of(url),
                1,
                0,
                1,
                null,
                0,
                false,
                "bench",
                1,
                Duration.ofSeconds(5),
                0,
                "test",
                List.of(),
                sockets,
                Api.ORIGINAL);
    }

    /** A stand-in for the original's lock routes, with its status codes and bodies. */
    private URI original() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/locks", exchange -> {
            JsonNode body = HubHttp.JSON.readTree(exchange.getRequestBody().readAllBytes());
            String agent = body.path("agentId").asString("");
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && exchange.getRequestURI().getPath().equals("/api/locks")) {
                String path = body.path("resourcePath").asString("");
                String holder = locks.putIfAbsent(path, agent);
                if (holder != null && !holder.equals(agent)) {
                    reply(exchange, 409, Map.of("success", false, "error", "Resource locked by " + holder));
                } else {
                    reply(exchange, 200, Map.of("success", true));
                }
            } else if (method.equals("DELETE")) {
                String path = URLDecoder.decode(
                        exchange.getRequestURI().getRawPath().substring("/api/locks/".length()),
                        StandardCharsets.UTF_8);
                reply(exchange, 200, Map.of("released", locks.remove(path, agent), "resourcePath", path));
            } else {
                reply(exchange, 404, Map.of("error", "Not found"));
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = HubHttp.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
