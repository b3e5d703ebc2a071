package dev.hydrant.trafficcontroller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public listener (with public-tls) and the gRPC egress hold the same policy: TLS 1.2 or 1.3,
 * AEAD suites with forward secrecy only. Probed by a JDK client offering one protocol and one suite.
 */
class CipherPolicyTest {

    @TempDir
    static Path dir;
    static CertificateAuthority publicCa;
    static TrafficControllerRunner tc;
    static SSLContext publicClient;
    static SSLContext grpcClient;

    @BeforeAll
    static void start() throws Exception {
        publicCa = CertificateAuthority.create("public-ca");
        // an RSA key, as public certificates often have: it could serve the RSA key-exchange suites
        CertificateAuthority.Issued cert = publicCa.issueRsa("traffic-controller-public");
        Path publicDir = Files.createDirectories(dir.resolve("public"));
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.public-tls.cert-file", cert.writeCertificate(publicDir.resolve("tc.crt")).toString(),
                "hydrant.traffic-controller.public-tls.key-file", cert.writeKey(publicDir.resolve("tc.key")).toString()));
        publicClient = context(publicCa, null);
        grpcClient = context(tc.ca, tc.ca.issue("nozzle"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    @Test
    void publicListener_refusesCbcSuitesAndRsaKeyExchange() {
        assertRefused(publicClient, tc.httpPort(), "TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA");
        assertRefused(publicClient, tc.httpPort(), "TLSv1.2", "TLS_RSA_WITH_AES_256_CBC_SHA");
        assertRefused(publicClient, tc.httpPort(), "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        assertRefused(publicClient, tc.httpPort(), "TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void publicListener_refusesTls11() {
        assertRefused(publicClient, tc.httpPort(), "TLSv1.1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void publicListener_acceptsTls12WithEcdheAead() throws IOException {
        assertNegotiated(publicClient, tc.httpPort(), "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertNegotiated(publicClient, tc.httpPort(), "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertNegotiated(publicClient, tc.httpPort(), "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void publicListener_acceptsTls13() throws IOException {
        assertNegotiated(publicClient, tc.httpPort(), "TLSv1.3", "TLS_AES_128_GCM_SHA256");
        assertNegotiated(publicClient, tc.httpPort(), "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void grpcEgress_holdsTheSamePolicy() throws IOException {
        assertRefused(grpcClient, tc.grpcPort(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertRefused(grpcClient, tc.grpcPort(), "TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertNegotiated(grpcClient, tc.grpcPort(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertNegotiated(grpcClient, tc.grpcPort(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertNegotiated(grpcClient, tc.grpcPort(), "TLSv1.3", "TLS_AES_256_GCM_SHA384");
    }

    private static void assertNegotiated(SSLContext context, int port, String protocol, String suite) throws IOException {
        try (SSLSocket socket = socket(context, port, protocol, suite)) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
        }
    }

    private static void assertRefused(SSLContext context, int port, String protocol, String suite) {
        assertThatThrownBy(() -> {
            try (SSLSocket socket = socket(context, port, protocol, suite)) {
                socket.startHandshake();
            }
        }).as("%s with %s", protocol, suite).isInstanceOf(IOException.class);
    }

    private static SSLSocket socket(SSLContext context, int port, String protocol, String suite) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setEnabledCipherSuites(new String[] {suite});
        return socket;
    }

    private static SSLContext context(CertificateAuthority ca, CertificateAuthority.Issued client) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        KeyManagerFactory keys = null;
        if (client != null) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            char[] password = "test".toCharArray();
            keyStore.setKeyEntry("client", client.keyPair().getPrivate(), password,
                    new Certificate[] {client.certificate(), ca.certificate()});
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
