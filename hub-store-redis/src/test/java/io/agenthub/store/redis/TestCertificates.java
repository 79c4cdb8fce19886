package io.agenthub.store.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority with a server certificate for {@code 127.0.0.1} and {@code localhost} and a
 * client certificate, made with the {@code openssl} command (EC P-256, PEM, keys in unencrypted PKCS#8), for tests of
 * {@code rediss://} connections.
 */
public record TestCertificates(Path dir) {
    private static final String NEW_KEY = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** Makes the authority and both certificates in a new temporary directory. */
    public static TestCertificates create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("redis-tls");
        TestCertificates c = new TestCertificates(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(c::delete));
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        c.openssl("req -x509 " + NEW_KEY + " -keyout ca.key -out ca.pem -days 2 -subj /CN=agent-hub-test-ca");
        c.issue("server", "/CN=localhost");
        c.issue("client", "/CN=hub");
        return c;
    }

    private void delete() {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    private void issue(String name, String subject) throws IOException, InterruptedException {
        openssl("req " + NEW_KEY + " -keyout " + name + ".key -out " + name + ".csr -subj " + subject);
        openssl("x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name
                + ".pem -days 2 -extfile " + name + ".ext");
    }

    /** Runs {@code openssl} with space-separated arguments (none of them contains a space). */
    private void openssl(String args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args.split(" ")));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + args + " failed: " + Files.readString(log));
        }
    }
}
