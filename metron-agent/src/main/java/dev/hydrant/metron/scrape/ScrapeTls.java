package dev.hydrant.metron.scrape;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.tls.TlsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context of one https target, from its PEM files: the CA to trust (the JVM's trust store
 * when unset), an optional client certificate and PKCS#8 key, and an optional server name the
 * target's certificate must carry instead of the URL's host. A file that cannot be used stops
 * start-up naming its setting.
 */
final class ScrapeTls {

    private static final char[] NO_PASSWORD = new char[0];

    private ScrapeTls() {
    }

    static SSLContext context(ScrapeProperties.Tls tls, String prefix) {
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            throw new InvalidSettingException(prefix + (tls.certFile() == null ? ".cert-file" : ".key-file"),
                    "is not set; a client certificate needs both cert-file and key-file");
        }
        try {
            X509ExtendedTrustManager trust = trustManager(tls.caFile(), prefix + ".ca-file");
            if (tls.serverName() != null && !tls.serverName().isBlank()) {
                trust = new ServerNameTrust(trust, tls.serverName().strip());
            }
            KeyManager[] keys = tls.certFile() == null ? null : keyManagers(tls.certFile(), tls.keyFile(), prefix);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidSettingException(prefix, "cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /** The TLS versions offered, as the components' own clients offer them. */
    static String[] protocols() {
        return TlsPolicy.PROTOCOLS.toArray(String[]::new);
    }

    private static X509ExtendedTrustManager trustManager(Path caFile, String setting)
            throws GeneralSecurityException, IOException {
        KeyStore store = null;
        if (caFile != null) {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates(caFile, setting)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private static KeyManager[] keyManagers(Path certFile, Path keyFile, String prefix)
            throws GeneralSecurityException, IOException {
        Certificate[] chain = certificates(certFile, prefix + ".cert-file").toArray(Certificate[]::new);
        PrivateKey key = privateKey(keyFile, ((X509Certificate) chain[0]).getPublicKey().getAlgorithm(),
                prefix + ".key-file");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, NO_PASSWORD, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory.getKeyManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file, String setting) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new InvalidSettingException(setting, file + " is not a PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new InvalidSettingException(setting, file + " holds no PEM certificate");
        }
        return certificates;
    }

    private static PrivateKey privateKey(Path file, String algorithm, String setting) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot read " + file + ": " + e.getMessage(), e);
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new InvalidSettingException(setting, file + " holds no PKCS#8 PEM private key ('-----BEGIN PRIVATE KEY-----')");
        }
        String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidSettingException(setting, file + " is not a " + algorithm + " key of the certificate: "
                    + e.getMessage(), e);
        }
    }
}
