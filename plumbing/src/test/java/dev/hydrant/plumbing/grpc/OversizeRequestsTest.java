package dev.hydrant.plumbing.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.grpc.RawBytes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.SendResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Request messages over the size limit, sent over a real mTLS channel to a server as Metron and Doppler build it. */
class OversizeRequestsTest {

    private static final int SENT = 50;

    @TempDir
    Path dir;

    private final AtomicInteger received = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** What grpc-java writes through java.util.logging, where the per-message WARN came from. */
    private final List<LogRecord> grpcRecords = new CopyOnWriteArrayList<>();
    private final java.util.logging.Logger grpcLogger = java.util.logging.Logger.getLogger("io.grpc");
    private final Handler grpcHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            grpcRecords.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final ListAppender<ILoggingEvent> ours = new ListAppender<>();
    private final ch.qos.logback.classic.Logger oursLogger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OversizeRequests.class);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        grpcLogger.addHandler(grpcHandler);
        ours.start();
        oursLogger.addAppender(ours);
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        TlsFiles serverFiles = ca.issueFiles(dir.resolve("server"), "doppler");
        MalformedRequests guard = MalformedRequests.registeredIn(registry);
        server = guard.watch(GrpcTransport.server("127.0.0.1", 0, serverFiles, "test.tls"))
                .addService(guard.guard(new CountingIngress()))
                .build()
                .start();
        channel = GrpcTransport.channel("127.0.0.1:" + server.getPort(), "doppler",
                ca.issueFiles(dir.resolve("client"), "metron"), "test.client.tls").build();
    }

    @AfterEach
    void stop() {
        GrpcTransport.shutdown(channel, 1000);
        GrpcTransport.shutdown(server, 1000);
        grpcLogger.removeHandler(grpcHandler);
        oursLogger.detachAppender(ours);
    }

    @Test
    void manyOversizeMessages_areEachRefusedAndCounted_inOneLineWithoutAStackTrace_andValidTrafficStillArrives() {
        byte[] oversize = new byte[GrpcTransport.MAX_MESSAGE_BYTES + 1];
        for (int i = 0; i < SENT; i++) {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RawBytes.of(IngressGrpc.getSendMethod()),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), oversize))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> refused() == SENT);

        IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .send(EnvelopeBatch.newBuilder().addBatch(envelope()).build());
        assertThat(received).hasValue(1);
        assertThat(refused()).isEqualTo(SENT);

        assertThat(grpcRecords).filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .extracting(LogRecord::getMessage).isEmpty();
        List<ILoggingEvent> lines = List.copyOf(ours.list);
        assertThat(lines).hasSizeBetween(1, 2);
        assertThat(lines).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).isNull();
            assertThat(e.getFormattedMessage()).contains(String.valueOf(GrpcTransport.MAX_MESSAGE_BYTES))
                    .contains("loggregator.v2.Ingress/Send");
        });
    }

    private double refused() {
        Counter counter = registry.find(OversizeRequests.METRIC).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Envelope envelope() {
        return Envelope.newBuilder().setSourceId("app").setTimestamp(1)
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("line"))).build();
    }

    private final class CountingIngress extends IngressGrpc.IngressImplBase {
        @Override
        public void send(EnvelopeBatch request, StreamObserver<SendResponse> response) {
            received.addAndGet(request.getBatchCount());
            response.onNext(SendResponse.getDefaultInstance());
            response.onCompleted();
        }
    }
}
