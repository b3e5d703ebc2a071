package dev.hydrant.plumbing.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.testsupport.grpc.RawBytes;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.SendResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request messages that do not parse, sent over a real mTLS channel to a guarded Ingress service. */
class MalformedRequestsTest {

    /** A length-delimited field that claims far more bytes than follow. */
    private static final byte[] GARBAGE = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3};

    @TempDir
    Path dir;

    private final AtomicInteger received = new AtomicInteger();
    private final CompletableFuture<Throwable> streamEnded = new CompletableFuture<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        TlsFiles serverFiles = ca.issueFiles(dir.resolve("server"), "doppler");
        server = GrpcTransport.server("127.0.0.1", 0, serverFiles, "test.tls")
                .addService(MalformedRequests.registeredIn(registry).guard(new CountingIngress()))
                .build()
                .start();
        channel = GrpcTransport.channel("127.0.0.1:" + server.getPort(), "doppler",
                ca.issueFiles(dir.resolve("client"), "metron"), "test.client.tls").build();
    }

    @AfterEach
    void stop() {
        GrpcTransport.shutdown(channel, 1000);
        GrpcTransport.shutdown(server, 1000);
    }

    @Test
    void aUnaryRequestThatDoesNotParse_isRefusedAsInvalidArgument_countedAndHarmsNothingElse() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RawBytes.of(IngressGrpc.getSendMethod()),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GARBAGE))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("loggregator.v2.Ingress/Send");
                });
        assertThat(refused()).isEqualTo(1);

        IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .send(EnvelopeBatch.newBuilder().addBatch(envelope()).build());
        assertThat(received).hasValue(1);
        assertThat(refused()).isEqualTo(1);
    }

    @Test
    void aStreamThatSendsGarbageAfterGoodMessages_endsWithInvalidArgument_andTheServiceSeesItsStreamEnd() throws Exception {
        ClientCall<byte[], byte[]> call = channel.newCall(RawBytes.of(IngressGrpc.getBatchSenderMethod()),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(EnvelopeBatch.newBuilder().addBatch(envelope()).addBatch(envelope()).build().toByteArray());
        call.sendMessage(GARBAGE);
        call.sendMessage(EnvelopeBatch.newBuilder().addBatch(envelope()).build().toByteArray());

        assertThat(closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(streamEnded.get(10, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class);
        assertThat(received).hasValue(2);
        assertThat(refused()).isEqualTo(1);
        call.cancel("done", null);
    }

    @Test
    void manyBadRequests_areEachRefusedAndCounted() {
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RawBytes.of(IngressGrpc.getSendMethod()),
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GARBAGE))
                    .isInstanceOf(StatusRuntimeException.class);
        }
        await().until(() -> refused() == 20);
    }

    private double refused() {
        Counter counter = registry.find(MalformedRequests.METRIC).counter();
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

        @Override
        public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(EnvelopeBatch batch) {
                    received.addAndGet(batch.getBatchCount());
                }

                @Override
                public void onError(Throwable t) {
                    streamEnded.complete(t);
                }

                @Override
                public void onCompleted() {
                    response.onNext(BatchSenderResponse.getDefaultInstance());
                    response.onCompleted();
                }
            };
        }
    }
}
