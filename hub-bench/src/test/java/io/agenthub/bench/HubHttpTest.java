package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How requests are spread over several hub nodes: round-robin by the caller's key (the agent's index). */
class HubHttpTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    @ParameterizedTest(name = "socket transport: {0}")
    @ValueSource(booleans = {true, false})
    void requests_are_dealt_round_robin_by_key_across_the_nodes(boolean sockets) throws Exception {
        List<List<Integer>> seen = List.of(
                Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
        List<URI> nodes = List.of(node(seen.get(0)), node(seen.get(1)));

        try (HubHttp http = new HubHttp(nodes, 2, sockets)) {
            for (int key = 0; key < 64; key++) {
                Response r = http.send(key, http.get("/api/health?key=" + key, null, Duration.ofSeconds(5)));
                assertThat(r.status()).as(r.describe()).isEqualTo(200);
            }
            assertThat(http.requestsByNode()).containsExactly(32, 32);
            assertThat(http.requests()).isEqualTo(64);
        }
        assertThat(seen.get(0))
                .containsExactlyElementsOf(
                        IntStream.range(0, 64).filter(k -> k % 2 == 0).boxed().toList());
        assertThat(seen.get(1))
                .containsExactlyElementsOf(
                        IntStream.range(0, 64).filter(k -> k % 2 == 1).boxed().toList());
    }

    @Test
    void uneven_client_counts_leave_the_first_nodes_one_client_more() {
        List<URI> nodes = List.of(
                URI.create("http://127.0.0.1:7701"),
                URI.create("http://127.0.0.1:7702"),
                URI.create("http://127.0.0.1:7703"));
        try (HubHttp http = new HubHttp(nodes, 2, true)) {
            int[] perNode = new int[3];
            for (int client = 0; client < 10; client++) {
                perNode[http.target(client)]++;
            }
            assertThat(perNode).containsExactly(4, 3, 3);
            assertThat(http.resolve(4, "/api/events")).isEqualTo(URI.create("http://127.0.0.1:7702/api/events"));
        }
    }

    @Test
    void a_single_node_gets_every_key() {
        try (HubHttp http = new HubHttp(List.of(URI.create("http://127.0.0.1:7700")), 2, true)) {
            assertThat(IntStream.range(0, 100).map(http::target).distinct()).containsExactly(0);
        }
    }

    /** A stand-in hub node that answers 200 and notes the {@code key} of each request, in order. */
    private URI node(List<Integer> keys) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            keys.add(Integer.parseInt(query.substring(query.indexOf('=') + 1)));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
