package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
import io.agenthub.lease.Acquisition;
import io.agenthub.message.Message;
import io.agenthub.message.NewMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis that wants a password, an ACL user, TLS and client certificates: the stores reach it with the right
 * credentials, are refused with a clear error otherwise, and never repeat a secret in an error or a location.
 */
class RedisAccessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create();
    }

    private static void works(RedisStores stores) {
        Acquisition a = stores.leases().tryAcquire("secured.txt", "alice", Duration.ofMinutes(1), "", Instant.now());
        assertThat(a).isInstanceOf(Acquisition.Granted.class);
    }

    private static void refused(String url, RedisTls tls, String secret) {
        assertThatThrownBy(() -> RedisStores.open(url, "t:", TIMEOUT, tls).close())
                .isInstanceOf(HubException.Unavailable.class)
                .hasMessageContaining("Cannot connect")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(secret));
    }

    @Test
    void an_acl_user_with_its_password_connects_and_a_wrong_password_is_refused_without_being_repeated() {
        try (LocalRedisServer server = LocalRedisServer.start(
                "--user", "default", "off", "--user", "hub", "on", ">acl-secret-1", "~*", "&*", "+@all")) {
            String at = "@127.0.0.1:" + server.port();
            try (RedisStores stores = RedisStores.open("redis://hub:acl-secret-1" + at, "t:", TIMEOUT)) {
                works(stores);
                assertThat(stores.location()).doesNotContain("acl-secret-1", "hub:acl");
            }
            refused("redis://hub:not-the-secret-2" + at, RedisTls.DEFAULT, "not-the-secret-2");
            assertThatThrownBy(() -> RedisStores.open("redis://hub:x" + at, "t:", TIMEOUT))
                    .hasMessageContaining("WRONGPASS");
            refused("redis://127.0.0.1:" + server.port(), RedisTls.DEFAULT, "acl-secret-1");
        }
    }

    @Test
    void a_password_alone_is_the_default_user_password() {
        try (LocalRedisServer server = LocalRedisServer.start("--requirepass", "plain-secret-3")) {
            try (RedisStores stores =
                    RedisStores.open("redis://:plain-secret-3@127.0.0.1:" + server.port(), "t:", TIMEOUT)) {
                works(stores);
            }
            refused("redis://127.0.0.1:" + server.port(), RedisTls.DEFAULT, "plain-secret-3");
        }
    }

    @Test
    void tls_needs_the_servers_authority_and_a_client_certificate_when_the_server_asks_for_one() {
        int tlsPort = LocalRedisServer.freePort();
        try (LocalRedisServer server = LocalRedisServer.start(
                "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certs.serverCert().toString(),
                "--tls-key-file", certs.serverKey().toString(),
                "--tls-ca-cert-file", certs.ca().toString())) {
            String url = "rediss://127.0.0.1:" + tlsPort;
            RedisTls full = new RedisTls(certs.ca(), certs.clientCert(), certs.clientKey());
            try (RedisStores stores = RedisStores.open(url, "t:", TIMEOUT, full)) {
                works(stores);
                assertThat(stores.location()).startsWith("rediss://127.0.0.1:" + tlsPort);
            }
            // Redis asks for client certificates by default; without one the handshake fails.
            refused(url, new RedisTls(certs.ca(), null, null), "client.key");
            // Without the authority, the JVM's trust store does not know the server's certificate.
            refused(url, RedisTls.DEFAULT, "client.key");
            // The same server, no longer asking for client certificates: the authority alone is enough.
            RedisClient admin = RedisClient.create(server.url());
            try (StatefulRedisConnection<String, String> c = admin.connect()) {
                c.sync().configSet("tls-auth-clients", "no");
            } finally {
                admin.shutdown();
            }
            try (RedisStores stores = RedisStores.open(url, "t2:", TIMEOUT, new RedisTls(certs.ca(), null, null))) {
                works(stores);
            }
            // TLS certificates with a plain redis:// URL are a mistake, said so rather than ignored.
            assertThatThrownBy(() -> RedisStores.open(server.url(), "t:", TIMEOUT, full))
                    .isInstanceOf(HubException.InvalidRequest.class)
                    .hasMessageContaining("rediss://");
        }
    }

    @Test
    void a_redis_cluster_over_tls_serves_domains_on_different_masters() {
        try (LocalRedisCluster cluster = LocalRedisCluster.startTls(certs);
                RedisStores stores = RedisStores.open(
                        cluster.tlsUrl(),
                        "t:",
                        TIMEOUT,
                        new RedisTls(certs.ca(), certs.clientCert(), certs.clientKey()))) {
            assertThat(stores.clustered()).isTrue();
            works(stores);
            Instant now = Instant.now();
            stores.messages().append(NewMessage.chat("general", "alice", "over tls", "", List.of(), now));
            assertThat(stores.messages().latest("general", Long.MAX_VALUE, 5))
                    .extracting(Message::text)
                    .containsExactly("over tls");
        }
    }

    @Test
    void a_client_certificate_needs_its_key() {
        assertThatThrownBy(() -> new RedisTls(certs.ca(), certs.clientCert(), null))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> new RedisTls(certs.dir().resolve("missing.pem"), null, null))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("missing.pem");
    }
}
