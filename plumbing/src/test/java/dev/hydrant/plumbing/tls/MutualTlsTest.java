package dev.hydrant.plumbing.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.SendResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutualTlsTest {

    @TempDir
    Path dir;

    private final AtomicInteger received = new AtomicInteger();
    private CertificateAuthority ca;
    private Server server;

    @BeforeEach
    void startServer() throws IOException {
        ca = CertificateAuthority.create("test-ca");
        TlsFiles serverFiles = ca.issueFiles(dir.resolve("server"), "doppler");
        server = GrpcTransport.server("127.0.0.1", 0, serverFiles, "test.tls")
                .addService(new IngressGrpc.IngressImplBase() {
                    @Override
                    public void send(EnvelopeBatch request, StreamObserver<SendResponse> response) {
                        received.addAndGet(request.getBatchCount());
                        response.onNext(SendResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
    }

    @AfterEach
    void stopServer() {
        GrpcTransport.shutdown(server, 1000);
    }

    @Test
    void aClientWithACertificateFromTheSameCa_isServed() {
        TlsFiles clientFiles = ca.issueFiles(dir.resolve("client"), "metron");
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + server.getPort(), "doppler", clientFiles, "c").build();
        try {
            IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).send(oneEnvelope());
            assertThat(received.get()).isEqualTo(1);
        } finally {
            GrpcTransport.shutdown(channel, 1000);
        }
    }

    @Test
    void aClientWithoutACertificate_isRefused() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(dir.resolve("server/ca.crt").toFile()).build())
                .overrideAuthority("doppler")
                .build();
        try {
            assertThatThrownBy(() -> IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).send(oneEnvelope()))
                    .isInstanceOf(StatusRuntimeException.class);
            assertThat(received.get()).isZero();
        } finally {
            GrpcTransport.shutdown(channel, 1000);
        }
    }

    @Test
    void aClientWithACertificateFromAnotherCa_isRefused() {
        CertificateAuthority other = CertificateAuthority.create("other-ca");
        TlsFiles foreign = other.issueFiles(dir.resolve("foreign"), "metron");
        // the client trusts the real server but presents a certificate the server's CA never signed
        TlsFiles mixed = new TlsFiles(foreign.certFile(), foreign.keyFile(), dir.resolve("server/ca.crt"));
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + server.getPort(), "doppler", mixed, "c").build();
        try {
            assertThatThrownBy(() -> IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).send(oneEnvelope()))
                    .isInstanceOf(StatusRuntimeException.class);
            assertThat(received.get()).isZero();
        } finally {
            GrpcTransport.shutdown(channel, 1000);
        }
    }

    @Test
    void aServerWhoseNameIsNotOnItsCertificate_isNotTrusted() {
        TlsFiles clientFiles = ca.issueFiles(dir.resolve("client"), "metron");
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + server.getPort(), "reverselogproxy", clientFiles, "c").build();
        try {
            assertThatThrownBy(() -> IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).send(oneEnvelope()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            GrpcTransport.shutdown(channel, 1000);
        }
    }

    @Test
    void tls12WithEcdheAead_isAccepted_butCbcSuitesAreRefused() throws Exception {
        SSLContext context = clientContext(ca.issue("metron"));

        try (SSLSocket socket = handshakeSocket(context, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        try (SSLSocket socket = handshakeSocket(context, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")) {
            socket.startHandshake();
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        }
        try (SSLSocket socket = handshakeSocket(context, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void tls13_isNegotiatedWhenOffered() throws Exception {
        try (SSLSocket socket = handshakeSocket(clientContext(ca.issue("metron")), "TLSv1.3", "TLS_AES_128_GCM_SHA256")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    private SSLSocket handshakeSocket(SSLContext context, String protocol, String suite) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.getPort());
        socket.setSoTimeout(5000);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setEnabledCipherSuites(new String[] {suite});
        return socket;
    }

    private SSLContext clientContext(CertificateAuthority.Issued client) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "test".toCharArray();
        keyStore.setKeyEntry("client", client.keyPair().getPrivate(), password,
                new java.security.cert.Certificate[] {client.certificate(), ca.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void aMissingFile_isNamedBySetting() {
        TlsFiles files = ca.issueFiles(dir.resolve("x"), "metron");
        TlsFiles missingKey = new TlsFiles(files.certFile(), dir.resolve("nope.key"), files.caFile());
        assertThatThrownBy(() -> MutualTls.server(missingKey, "hydrant.metron.tls"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("hydrant.metron.tls.key-file")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new TlsFiles(null, files.keyFile(), files.caFile()).validate("hydrant.doppler.tls"))
                .hasMessageContaining("hydrant.doppler.tls.cert-file");
    }

    @Test
    void aFileOfTheWrongKind_isNamedBySetting() throws IOException {
        TlsFiles files = ca.issueFiles(dir.resolve("y"), "metron");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> new TlsFiles(files.certFile(), files.keyFile(), garbage).validate("hydrant.doppler.tls"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("hydrant.doppler.tls.ca-file");
        assertThatThrownBy(() -> new TlsFiles(files.certFile(), files.certFile(), files.caFile()).validate("hydrant.doppler.tls"))
                .hasMessageContaining("hydrant.doppler.tls.key-file")
                .hasMessageContaining("PKCS#8");
    }

    private static EnvelopeBatch oneEnvelope() {
        return EnvelopeBatch.newBuilder().addBatch(Envelope.newBuilder().setSourceId("app")).build();
    }
}
