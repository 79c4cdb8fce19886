package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Pem;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.store.redis.TestCertificates;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub over HTTPS with a certificate from a private CA made by openssl: HTTP/2 and HTTP/1.1, the CLI, hub mcp. */
class HttpsTest {
    static TestCertificates certs;
    static TestHub hub;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create();
        hub = new TestHub(
                Map.of(
                        "tls-cert", certs.serverCert().toString(),
                        "tls-key", certs.serverKey().toString()),
                java.time.Clock.systemUTC());
        base = "https://localhost:" + hub.hub().port();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .sslContext(Pem.trusting(certs.ca()))
                .version(version)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_client_trusting_the_private_ca_negotiates_http2() throws Exception {
        HttpResponse<String> health =
                send(client(HttpClient.Version.HTTP_2), HttpRequest.newBuilder(URI.create(base + "/api/health")));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(hub.hub().baseUrl()).startsWith("https://");
        // An authenticated write over HTTP/2.
        HttpResponse<String> created = send(
                client(HttpClient.Version.HTTP_2),
                HttpRequest.newBuilder(URI.create(base + "/api/agents"))
                        .header("Authorization", "Bearer " + TestHub.ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"remote\",\"name\":\"remote\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void an_http1_client_is_served_too() throws Exception {
        HttpResponse<String> health =
                send(client(HttpClient.Version.HTTP_1_1), HttpRequest.newBuilder(URI.create(base + "/api/health")));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void a_client_that_does_not_trust_the_ca_is_refused_in_the_handshake() {
        HttpClient untrusting = HttpClient.newBuilder().build();
        assertThatThrownBy(() -> send(untrusting, HttpRequest.newBuilder(URI.create(base + "/api/health"))))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void the_cli_talks_to_an_https_hub_with_ca_file() {
        CliRun ok = CliRun.of("agents", "--url", base, "--ca-file", certs.ca().toString(), "--token", TestHub.ADMIN);
        assertThat(ok.code()).as(ok.err()).isZero();
        CliRun untrusted = CliRun.of("agents", "--url", base, "--token", TestHub.ADMIN);
        assertThat(untrusted.code()).isNotZero();
        assertThat(untrusted.err()).containsIgnoringCase("cannot reach the hub");
    }

    @Test
    void hub_mcp_proxies_to_an_https_hub_trusting_hub_ca_file() throws Exception {
        HttpResponse<String> created = send(
                client(HttpClient.Version.HTTP_2),
                HttpRequest.newBuilder(URI.create(base + "/api/agents"))
                        .header("Authorization", "Bearer " + TestHub.ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"proxied\",\"name\":\"proxied\"}")));
        String token = JsonCodec.MAPPER.readTree(created.body()).path("token").asString();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.addAll(List.of("io.agenthub.cli.Cli", "mcp", "--url", base, "--token", token));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HUB_CA_FILE", certs.ca().toString());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out)
                .as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("\"serverInfo\":{\"name\":\"agent-hub\"");
    }

    @Test
    void a_certificate_without_its_key_is_refused_at_start_naming_the_settings() {
        assertThatThrownBy(
                        () -> HubConfig.of(Map.of("tls-cert", certs.serverCert().toString())))
                .isInstanceOf(HubConfig.InvalidSetting.class)
                .hasMessageContaining("tls-key");
        assertThatThrownBy(() -> HubConfig.of(Map.of(
                        "tls-cert",
                        certs.serverCert().toString(),
                        "tls-key",
                        certs.ca().toString())))
                .isInstanceOf(HubConfig.InvalidSetting.class)
                .hasMessageContaining("private key");
    }
}
