package dev.hydrant.nozzles.syslog.drain;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of one drain from its binding: the binding's client certificate and PKCS#8 key (RSA or
 * EC) when it has them, for mutual TLS; the binding's CA as the only trust when it has one, the JDK's
 * default trust otherwise.
 */
final class DrainTls {

    private static final char[] NO_PASSWORD = new char[0];

    private DrainTls() {
    }

    /** @throws GeneralSecurityException when a PEM cannot be read or the key does not fit */
    static SSLContext context(Binding binding) throws GeneralSecurityException {
        KeyManager[] keys = null;
        if (binding.cert() != null && binding.key() != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            }
            Certificate[] chain = certificates(binding.cert()).toArray(Certificate[]::new);
            store.setKeyEntry("client", privateKey(binding.key()), NO_PASSWORD, chain);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            keys = factory.getKeyManagers();
        }
        TrustManager[] trust = null;
        if (binding.ca() != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            }
            int i = 0;
            for (Certificate ca : certificates(binding.ca())) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            trust = factory.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        return context;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate");
        }
        return certificates;
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("the key is not a PKCS#8 PEM key ('-----BEGIN PRIVATE KEY-----')");
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the key is not base64", e);
        }
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("the key is neither EC, RSA nor Ed25519", last);
    }
}
