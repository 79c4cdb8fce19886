package io.agenthub.server.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * PEM files as the JDK's TLS classes want them: a certificate chain with its unencrypted PKCS#8 key as a key store (the
 * hub's HTTPS), and certificate authorities as an {@link SSLContext} that trusts them (the CLI's {@code HUB_CA_FILE}).
 * Failures are {@link IllegalArgumentException}s whose message names the file and what to do.
 */
public final class Pem {
    /** The password of the in-memory key store; it never leaves this process. */
    public static final char[] STORE_PASSWORD = "agent-hub".toCharArray();

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {}

    /** A key store holding {@code key} under the alias {@code hub} with the chain of {@code certChain}. */
    public static KeyStore keyStore(Path certChain, Path key) {
        List<Certificate> chain = certificates(certChain);
        PrivateKey privateKey = privateKey(key);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("hub", privateKey, STORE_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "The key in " + key + " does not match the certificate in " + certChain + ": " + e.getMessage(), e);
        }
    }

    /** TLS that trusts the certificate authorities in {@code caFile} (and only them). */
    public static SSLContext trusting(Path caFile) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(caFile)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot trust the certificates in " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate in a PEM file, in order. */
    static List<Certificate> certificates(Path file) {
        List<Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add(factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The certificate in " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the certificate chain.");
        }
        return out;
    }

    static PrivateKey privateKey(Path file) {
        for (Block b : blocks(file)) {
            if (b.type().equals("PRIVATE KEY")) {
                for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der()));
                    } catch (GeneralSecurityException e) {
                        // Not this algorithm: try the next.
                    }
                }
                throw new IllegalArgumentException("The key in " + file + " is not an EC, RSA or EdDSA key.");
            }
            if (b.type().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("The key in " + file + " is " + b.type() + "; convert it to"
                        + " unencrypted PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----).");
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }
}
