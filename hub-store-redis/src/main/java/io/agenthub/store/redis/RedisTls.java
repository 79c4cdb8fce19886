package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.lettuce.core.SslOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Certificates for a {@code rediss://} connection, as PEM files; each one left {@code null} falls back to the JVM's
 * default. {@code ca} is what to trust instead of the JVM's trust store (a private CA or a self-signed server); {@code
 * cert} and {@code key} are this hub's client certificate chain and unencrypted PKCS#8 key, for a Redis that asks
 * clients for one ({@code tls-auth-clients yes}, Redis's default).
 */
public record RedisTls(Path ca, Path cert, Path key) {
    /** The JVM's trust store and no client certificate. */
    public static final RedisTls DEFAULT = new RedisTls(null, null, null);

    public RedisTls {
        if ((cert == null) != (key == null)) {
            throw new HubException.InvalidRequest(
                    "A Redis client certificate needs both the certificate chain and its key (PEM files).");
        }
        for (Path p : new Path[] {ca, cert, key}) {
            if (p != null && !Files.isReadable(p)) {
                throw new HubException.InvalidRequest("Cannot read the Redis TLS file " + p + ".");
            }
        }
    }

    /** True when nothing differs from the JVM's defaults. */
    public boolean isDefault() {
        return ca == null && cert == null;
    }

    /** Refuses certificates that a plain {@code redis://} URL would silently ignore. */
    public void requireTlsUrl(String url) {
        if (!isDefault() && !url.startsWith("rediss://")) {
            throw new HubException.InvalidRequest(
                    "Redis TLS certificates are set, but the Redis URL does not use TLS: use rediss://.");
        }
    }

    SslOptions sslOptions() {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (ca != null) {
            b.trustManager(ca.toFile());
        }
        if (cert != null) {
            b.keyManager(cert.toFile(), key.toFile(), null);
        }
        return b.build();
    }
}
