package io.agenthub.store.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A three-master Redis Cluster of the tests' own on loopback ports: three {@code redis-server --cluster-enabled yes}
 * joined with {@code redis-cli --cluster create}, without replicas or persistence. One per test JVM.
 */
public final class LocalRedisCluster implements AutoCloseable {
    private static LocalRedisCluster shared;
    private final List<LocalRedisServer> masters;
    private final List<Integer> tlsPorts;

    private LocalRedisCluster(List<LocalRedisServer> masters, List<Integer> tlsPorts) {
        this.masters = masters;
        this.tlsPorts = tlsPorts;
    }

    public static synchronized LocalRedisCluster shared() {
        if (shared == null) {
            shared = start();
            LocalRedisCluster c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(c::close));
        }
        return shared;
    }

    private static LocalRedisCluster start() {
        return start(null);
    }

    /**
     * A cluster of its own whose clients and cluster bus speak TLS ({@code tls-cluster yes}) with {@code certs}, and
     * which asks clients for certificates; its nodes still answer plain commands on {@link LocalRedisServer#port()}.
     * The caller closes it.
     */
    public static LocalRedisCluster startTls(TestCertificates certs) {
        return start(certs);
    }

    private static LocalRedisCluster start(TestCertificates certs) {
        List<LocalRedisServer> masters = new ArrayList<>();
        List<Integer> tlsPorts = new ArrayList<>();
        try {
            Path dir = Files.createTempDirectory("redis-cluster");
            for (int i = 0; i < 3; i++) {
                List<String> args = new ArrayList<>(List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes-" + i + ".conf",
                        "--dir",
                        Files.createDirectories(dir.resolve("n" + i)).toString()));
                if (certs != null) {
                    tlsPorts.add(LocalRedisServer.freePort());
                    args.addAll(List.of("--tls-port", Integer.toString(tlsPorts.getLast()), "--tls-cluster", "yes"));
                    args.addAll(List.of(
                            "--tls-cert-file",
                            certs.serverCert().toString(),
                            "--tls-key-file",
                            certs.serverKey().toString(),
                            "--tls-ca-cert-file",
                            certs.ca().toString()));
                }
                masters.add(LocalRedisServer.start(args.toArray(String[]::new)));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli"));
            if (certs != null) {
                create.add("--tls");
                create.addAll(List.of(
                        "--cert",
                        certs.clientCert().toString(),
                        "--key",
                        certs.clientKey().toString(),
                        "--cacert",
                        certs.ca().toString()));
            }
            create.addAll(List.of("--cluster", "create"));
            for (int i = 0; i < masters.size(); i++) {
                create.add("127.0.0.1:"
                        + (certs != null ? tlsPorts.get(i) : masters.get(i).port()));
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            LocalRedisCluster cluster = new LocalRedisCluster(masters, tlsPorts);
            cluster.awaitOk();
            return cluster;
        } catch (IOException | InterruptedException e) {
            masters.forEach(LocalRedisServer::close);
            throw new IllegalStateException("cannot start a local Redis Cluster: " + e.getMessage(), e);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private void awaitOk() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (LocalRedisServer m : masters) {
            while (!run(List.of("redis-cli", "-p", Integer.toString(m.port()), "CLUSTER", "INFO"))
                    .contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the cluster did not become ready");
                }
                Thread.sleep(100);
            }
        }
    }

    /** A seed URL: any node will do. */
    public String url() {
        return masters.getFirst().url();
    }

    /** The {@code rediss://} seed URL of a cluster made by {@link #startTls}. */
    public String tlsUrl() {
        return "rediss://127.0.0.1:" + tlsPorts.getFirst();
    }

    public String freshPrefix() {
        return masters.getFirst().freshPrefix();
    }

    @Override
    public void close() {
        masters.forEach(LocalRedisServer::close);
    }
}
