package dev.hydrant.nozzle.client;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzle.wire.LogCapture;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** Reading {@code loggregator.v2.Egress/BatchedReceiver} over mutual TLS with real certificates. */
class GrpcReadingTest {

    @TempDir
    Path dir;

    private final List<EgressBatchRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ServerCallStreamObserver<EnvelopeBatch>> streams = new CopyOnWriteArrayList<>();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private CertificateAuthority ca;
    private Server server;
    private Disposable subscription;

    @BeforeEach
    void start() throws Exception {
        ca = CertificateAuthority.create("test-ca");
        TlsFiles serverTls = ca.issueFiles(dir.resolve("server"), "reverselogproxy");
        server = GrpcTransport.server("127.0.0.1", 0, serverTls, "test").addService(egress()).build().start();
    }

    private EgressGrpc.EgressImplBase egress() {
        return new EgressGrpc.EgressImplBase() {
            @Override
            public void batchedReceiver(EgressBatchRequest request, StreamObserver<EnvelopeBatch> responses) {
                requests.add(request);
                streams.add((ServerCallStreamObserver<EnvelopeBatch>) responses);
            }
        };
    }

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        GrpcTransport.shutdown(server, 0);
    }

    private HydrantClient client(TlsFiles tls) {
        return HydrantClient.builder()
                .transport(Transport.GRPC)
                .grpc(new GrpcSettings("127.0.0.1:" + server.getPort(), "reverselogproxy", tls))
                .reconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5)))
                .build();
    }

    private void send(Envelope... envelopes) {
        for (ServerCallStreamObserver<EnvelopeBatch> stream : streams) {
            synchronized (stream) {
                if (!stream.isCancelled()) {
                    stream.onNext(EnvelopeBatch.newBuilder().addAllBatch(List.of(envelopes)).build());
                }
            }
        }
    }

    @Test
    void firehose_sendsShardIdAndSelectors_andDeliversEveryEnvelopeOfEachBatch() {
        HydrantClient client = client(ca.issueFiles(dir.resolve("client"), "nozzle"));
        subscription = client.firehose("shard-a", Set.of(EnvelopeType.LOG, EnvelopeType.COUNTER)).subscribe(received::add);
        await().until(() -> streams.size() == 1);

        send(log("app", "one"), log("app", "two"));
        send(log("app", "three"));

        await().untilAsserted(() -> assertThat(received).extracting(e -> text(e)).containsExactly("one", "two", "three"));
        EgressBatchRequest request = requests.get(0);
        assertThat(request.getShardId()).isEqualTo("shard-a");
        assertThat(request.getUsePreferredTags()).isTrue();
        assertThat(request.getSelectorsList()).extracting(s -> s.getMessageCase().name()).containsExactly("LOG", "COUNTER");
        assertThat(request.getSelectorsList()).allMatch(s -> s.getSourceId().isEmpty());
        client.close();
    }

    @Test
    void whenTheServerEndsTheStream_itIsReopened() {
        HydrantClient client = client(ca.issueFiles(dir.resolve("client"), "nozzle"));
        subscription = client.firehose("shard-b").subscribe(received::add);
        await().until(() -> streams.size() == 1);

        streams.get(0).onError(io.grpc.Status.UNAVAILABLE.withDescription("doppler restarting").asRuntimeException());

        await().until(() -> streams.size() == 2);
        streams.remove(0);
        send(log("app", "again"));
        await().untilAsserted(() -> assertThat(received).extracting(e -> text(e)).containsExactly("again"));
        client.close();
    }

    @Test
    void whenTheServerIsStoppedAndRestarted_theOutageIsOneWarnAndOneInfo_withoutStackTraces() throws Exception {
        HydrantClient client = client(ca.issueFiles(dir.resolve("client"), "nozzle"));
        try (LogCapture log = new LogCapture(HydrantClient.class)) {
            subscription = client.firehose("shard-d").subscribe(received::add);
            await().until(() -> streams.size() == 1);
            send(log("app", "first"));
            await().until(() -> received.size() == 1);
            int port = server.getPort();

            GrpcTransport.shutdown(server, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> log.lines(Level.DEBUG, "Still disconnected").size() >= 3);
            streams.clear();
            TlsFiles serverTls = new TlsFiles(dir.resolve("server/reverselogproxy.crt"),
                    dir.resolve("server/reverselogproxy.key"), dir.resolve("server/ca.crt"));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                server = GrpcTransport.server("127.0.0.1", port, serverTls, "test").addService(egress()).build().start();
                return true;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> streams.size() == 1);
            send(log("app", "back"));
            await().untilAsserted(() -> assertThat(received).extracting(e -> text(e)).containsExactly("first", "back"));

            assertThat(log.visible()).hasSize(3);
            assertThat(log.lines(Level.WARN, "")).singleElement().asString()
                    .startsWith("Lost connection to firehose 'shard-d' via GRPC")
                    .endsWith("; retrying with backoff up to 200ms");
            assertThat(log.lines(Level.INFO, "Reconnected to")).hasSize(1);
            assertThat(log.withStackTraces()).isEmpty();
        } finally {
            client.close();
        }
    }

    @Test
    void aServerCertificateFromAnotherCa_isOneErrorNamingTheGrpcCaSetting() {
        TlsFiles own = ca.issueFiles(dir.resolve("client"), "nozzle");
        TlsFiles trustingAnother = new TlsFiles(own.certFile(), own.keyFile(),
                CertificateAuthority.create("another-ca").writeCertificate(dir.resolve("another/ca.crt")));
        try (LogCapture log = new LogCapture(HydrantClient.class)) {
            HydrantClient client = client(trustingAnother);
            subscription = client.firehose("shard-e").subscribe(received::add);

            await().atMost(Duration.ofSeconds(30)).until(() -> log.lines(Level.DEBUG, "Still refused").size() >= 2);

            assertThat(log.visible()).singleElement().asString().startsWith("ERROR ")
                    .contains("The certificate of the gRPC egress 127.0.0.1:" + server.getPort() + " is not trusted")
                    .contains("set hydrant.nozzle.grpc.ca-file");
            assertThat(streams).isEmpty();
            client.close();
        }
    }

    @Test
    void aClientCertificateFromAnotherCa_neverGetsAStream_andIsOneErrorNamingTheCertSetting() {
        CertificateAuthority other = CertificateAuthority.create("other-ca");
        TlsFiles foreign = other.issueFiles(dir.resolve("foreign"), "nozzle");
        TlsFiles mixed = new TlsFiles(foreign.certFile(), foreign.keyFile(),
                ca.writeCertificate(dir.resolve("foreign/server-ca.crt")));
        try (LogCapture log = new LogCapture(HydrantClient.class)) {
            HydrantClient client = client(mixed);
            subscription = client.firehose("shard-c").subscribe(received::add);

            // the client did try, and was turned away: not merely slow to connect
            await().atMost(Duration.ofSeconds(30)).until(() -> !log.lines(Level.ERROR, "").isEmpty());
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(30)).until(() -> streams.isEmpty());
            assertThat(log.visible()).singleElement().asString()
                    .contains("the gRPC egress 127.0.0.1:" + server.getPort() + " refused this client's certificate")
                    .contains("check hydrant.nozzle.grpc.cert-file and its key");
            client.close();
        }
    }
}
