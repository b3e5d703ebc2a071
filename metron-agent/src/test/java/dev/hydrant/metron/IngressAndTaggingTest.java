package dev.hydrant.metron;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.batches;
import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.logs;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.grpc.OversizeRequests;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What emitters send over each v2 Ingress call reaches the Doppler side, tagged by the agent. */
class IngressAndTaggingTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static RecordingDoppler doppler;
    private static RunningMetron metron;
    private static Emitter emitter;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir);
        doppler = RecordingDoppler.start(pki.doppler, 0);
        metron = RunningMetron.start(pki, Map.of(
                "hydrant.metron.dopplers", doppler.address(),
                "hydrant.metron.deployment", "cf",
                "hydrant.metron.job", "diego-cell",
                "hydrant.metron.index", "3",
                "hydrant.metron.ip", "10.0.0.7"));
        emitter = metron.emitter();
    }

    @AfterAll
    static void stop() {
        emitter.close();
        metron.close();
        doppler.close();
    }

    @Test
    void sendDeliversTheBatchWithItsContent() {
        Envelope sent = log("app-send", "hello from Send");

        emitter.send(List.of(sent));

        await().atMost(WAIT).until(() -> doppler.from("app-send").size() == 1);
        Envelope received = doppler.from("app-send").get(0);
        assertThat(text(received)).isEqualTo("hello from Send");
        assertThat(received.getTimestamp()).isEqualTo(sent.getTimestamp());
        assertThat(received.getInstanceId()).isEqualTo("0");
        assertThat(received.getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
    }

    @Test
    void batchSenderDeliversEveryEnvelopeOfEveryBatch() throws Exception {
        List<Envelope> sent = logs("app-batch", "line", 0, 1_000);

        emitter.batchSender(batches(sent, 50)).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> doppler.from("app-batch").size() == 1_000);
        assertThat(doppler.from("app-batch")).extracting(e -> text(e))
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(e -> text(e)).toList());
    }

    @Test
    void senderDeliversEveryEnvelope() throws Exception {
        List<Envelope> sent = logs("app-sender", "line", 0, 300);

        emitter.sender(sent).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> doppler.from("app-sender").size() == 300);
        assertThat(doppler.from("app-sender")).extracting(e -> text(e))
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(e -> text(e)).toList());
    }

    @Test
    void emptySourceIdFallsBackToTheOriginTag() {
        Envelope noSourceId = log("", "who am I").toBuilder().putTags("origin", "gorouter").build();

        emitter.send(List.of(noSourceId));

        await().atMost(WAIT).until(() -> doppler.from("gorouter").size() == 1);
        assertThat(text(doppler.from("gorouter").get(0))).isEqualTo("who am I");
    }

    @Test
    void hostTagsAreAddedButAnEmittersOwnTagWins() {
        Envelope ownJob = log("app-tags", "own job").toBuilder().putTags("job", "my-job").build();

        emitter.send(List.of(log("app-tags", "plain"), ownJob));

        await().atMost(WAIT).until(() -> doppler.from("app-tags").size() == 2);
        Map<String, Envelope> byPayload = doppler.from("app-tags").stream()
                .collect(java.util.stream.Collectors.toMap(e -> text(e), e -> e));
        assertThat(byPayload.get("plain").getTagsMap()).containsEntry("deployment", "cf")
                .containsEntry("job", "diego-cell").containsEntry("index", "3").containsEntry("ip", "10.0.0.7");
        assertThat(byPayload.get("own job").getTagsMap()).containsEntry("job", "my-job")
                .containsEntry("deployment", "cf");
    }

    @Test
    void counterTotalsAccumulateDeltasAndKeepAnEmittersOwnTotal() {
        emitter.send(List.of(
                counter("app-counter", "requests", 3, 0),
                counter("app-counter", "requests", 4, 0),
                counter("app-counter", "other", 10, 0),
                counter("app-counter", "requests", 0, 100),
                counter("app-counter", "requests", 5, 0)));

        await().atMost(WAIT).until(() -> doppler.from("app-counter").size() == 5);
        List<Long> requestTotals = doppler.from("app-counter").stream()
                .filter(e -> e.getCounter().getName().equals("requests"))
                .map(e -> e.getCounter().getTotal()).sorted().toList();
        assertThat(requestTotals).containsExactly(3L, 7L, 100L, 105L);
        assertThat(doppler.from("app-counter").stream().filter(e -> e.getCounter().getName().equals("other")))
                .extracting(e -> e.getCounter().getTotal()).containsExactly(10L);
    }

    @Test
    void aMessageThatDoesNotParse_isRefusedWithInvalidArgumentAndCounted_andTheNextSendIsServed() {
        byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3};

        assertThat(emitter.sendRaw(garbage).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(metron.registry().get(MalformedRequests.METRIC).counter().count()).isEqualTo(1);

        emitter.send(List.of(log("app-after-garbage", "still served")));
        await().atMost(WAIT).until(() -> doppler.from("app-after-garbage").size() == 1);
    }

    @Test
    void oversizeMessages_areRefusedCountedAndReportedInOneLineWithoutStackTrace_andTheNextSendIsServed() {
        byte[] oversize = new byte[GrpcTransport.MAX_MESSAGE_BYTES + 1];
        int sent = 20;
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        try {
            for (int i = 0; i < sent; i++) {
                assertThat(emitter.sendRaw(oversize).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
            await().atMost(WAIT).until(() -> metron.registry().get(OversizeRequests.METRIC).counter().count() == sent);

            emitter.send(List.of(log("app-after-oversize", "still served")));
            await().atMost(WAIT).until(() -> doppler.from("app-after-oversize").size() == 1);
        } finally {
            root.detachAppender(logged);
        }
        List<ILoggingEvent> events = List.copyOf(logged.list);
        assertThat(events).filteredOn(e -> e.getLoggerName().startsWith("io.grpc")).isEmpty();
        assertThat(events).filteredOn(e -> e.getLoggerName().equals(OversizeRequests.class.getName()))
                .hasSizeBetween(1, 2)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws SSLException {
        SslContextBuilder noCertificate = GrpcSslContexts.forClient().trustManager(pki.metron.caFile().toFile());

        assertRefused(noCertificate);
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsRefused(@TempDir Path other) throws SSLException {
        TlsFiles intruder = CertificateAuthority.create("other-ca").issueFiles(other, "emitter");
        SslContextBuilder foreignCertificate = GrpcSslContexts.forClient()
                .keyManager(intruder.certFile().toFile(), intruder.keyFile().toFile())
                .trustManager(pki.metron.caFile().toFile());

        assertRefused(foreignCertificate);
    }

    private static void assertRefused(SslContextBuilder tls) throws SSLException {
        long ingressBefore = metron.ingress();
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + metron.ingressPort())
                .sslContext(tls.build()).overrideAuthority("metron").build();
        try {
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .send(EnvelopeBatch.newBuilder().addBatch(log("intruder", "let me in")).build()));

            assertThat(refused).isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(metron.ingress()).isEqualTo(ingressBefore);
        } finally {
            channel.shutdownNow();
        }
    }
}
