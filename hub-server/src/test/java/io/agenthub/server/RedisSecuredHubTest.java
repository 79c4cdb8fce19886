package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.server.config.HubConfig;
import io.agenthub.store.redis.LocalRedisServer;
import io.agenthub.store.redis.TestCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub on a Redis that wants TLS, a client certificate and an ACL user, set up through the hub's settings alone:
 * agents see the same hub, and the password shows nowhere.
 */
class RedisSecuredHubTest {
    @Test
    void a_hub_on_tls_redis_with_an_acl_user_serves_as_usual_and_never_shows_the_password() throws Exception {
        TestCertificates certs = TestCertificates.create();
        int tlsPort = LocalRedisServer.freePort();
        try (LocalRedisServer redis = LocalRedisServer.start(
                        "--user",
                        "default",
                        "off",
                        "--user",
                        "hub",
                        "on",
                        ">hub-secret-9",
                        "~*",
                        "&*",
                        "+@all",
                        "--tls-port",
                        Integer.toString(tlsPort),
                        "--tls-cert-file",
                        certs.serverCert().toString(),
                        "--tls-key-file",
                        certs.serverKey().toString(),
                        "--tls-ca-cert-file",
                        certs.ca().toString());
                TestHub hub = new TestHub(
                        Map.of(
                                "redis-url", "rediss://hub:hub-secret-9@127.0.0.1:" + tlsPort,
                                "redis-prefix", redis.freshPrefix(),
                                "redis-tls-ca", certs.ca().toString(),
                                "redis-tls-cert", certs.clientCert().toString(),
                                "redis-tls-key", certs.clientKey().toString()),
                        Clock.systemUTC())) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            assertThat(hub.post(alice, "/api/leases", Map.of("resource", "tls.txt"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(bob, "/api/leases", Map.of("resource", "tls.txt"))
                            .status())
                    .isEqualTo(409);
            TestHub.Response health = hub.get(TestHub.ADMIN, "/api/health");
            assertThat(health.json().path("status").asString()).isEqualTo("ok");
            assertThat(health.json().path("store").asString()).isEqualTo("redis");
            assertThat(health.raw().body()).doesNotContain("hub-secret-9");
        }
    }

    @Test
    void tls_settings_are_checked_when_the_configuration_loads() throws Exception {
        TestCertificates certs = TestCertificates.create();
        String cert = certs.clientCert().toString();
        assertThatThrownBy(() -> config(Map.of("redis-url", "rediss://127.0.0.1:6390", "redis-tls-cert", cert)))
                .isInstanceOf(HubConfig.InvalidSetting.class)
                .hasMessageContaining("HUB_REDIS_TLS_KEY");
        assertThatThrownBy(() -> config(Map.of(
                        "redis-url",
                        "redis://127.0.0.1:6390",
                        "redis-tls-ca",
                        certs.ca().toString())))
                .isInstanceOf(HubConfig.InvalidSetting.class)
                .hasMessageContaining("rediss://");
        assertThatThrownBy(() ->
                        config(Map.of("redis-url", "rediss://127.0.0.1:6390", "redis-tls-ca", "/nonexistent/ca.pem")))
                .isInstanceOf(HubConfig.InvalidSetting.class)
                .hasMessageContaining("/nonexistent/ca.pem");
        assertThat(config(Map.of(
                                "redis-url",
                                "rediss://127.0.0.1:6390",
                                "redis-tls-ca",
                                certs.ca().toString()))
                        .redisTls()
                        .ca())
                .isEqualTo(certs.ca());
        assertThat(config(Map.of("redis-url", "redis://hub:hub-secret-9@127.0.0.1:6390"))
                        .toString())
                .as("what the hub logs of its configuration")
                .doesNotContain("hub-secret-9");
    }

    private static HubConfig config(Map<String, String> flags) {
        return HubConfig.load(Map.of(), flags, (Path) null);
    }
}
