package io.agenthub.cli;

import io.agenthub.server.config.Pem;
import java.net.http.HttpClient;
import java.nio.file.Path;

/**
 * Which certificate authorities the CLI trusts for {@code https://} hub URLs: the JVM's trust store, or only those in
 * the PEM file given by {@code --ca-file} or {@code HUB_CA_FILE} (a hub with a certificate from a private CA).
 */
final class ClientTls {
    private static volatile Path caFile;

    private ClientTls() {}

    /** Trusts the authorities in {@code file} from now on; null goes back to the JVM's trust store. */
    static void use(Path file) {
        caFile = file;
    }

    /** {@code --ca-file} if given, else {@code HUB_CA_FILE} if set. */
    static void use(Path option, String env) {
        use(option != null ? option : env == null || env.isBlank() ? null : Path.of(env));
    }

    /** A client builder that trusts what {@link #use} set. */
    static HttpClient.Builder builder() {
        HttpClient.Builder b = HttpClient.newBuilder();
        Path file = caFile;
        if (file != null) {
            try {
                b.sslContext(Pem.trusting(file));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage() + " (--ca-file or HUB_CA_FILE)");
            }
        }
        return b;
    }
}
