package dev.hydrant.trafficcontroller.grpc;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.OversizeRequests;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.grpc.RawBytes;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class GrpcEgressTest {

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of("hydrant.traffic-controller.max-grpc-streams", "2"));
        channel = GrpcTransport.channel("127.0.0.1:" + tc.grpcPort(), "localhost", tc.clientTls, "test.tls").build();
    }

    @AfterAll
    static void stop() {
        GrpcTransport.shutdown(channel, 500);
        tc.close();
    }

    static final class Collector<T> implements StreamObserver<T> {
        final List<T> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();

        @Override
        public void onNext(T value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }

    private static final Selector LOGS = Selector.newBuilder().setLog(LogSelector.getDefaultInstance()).build();

    @Test
    void batchedReceiverAndReceiver_deliverWhatTheDopplersSend_andAThirdStreamIsResourceExhausted() throws Exception {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        Collector<EnvelopeBatch> batched = new Collector<>();
        Collector<Envelope> single = new Collector<>();
        context.run(() -> {
            EgressGrpc.newStub(channel).batchedReceiver(
                    EgressBatchRequest.newBuilder().addSelectors(LOGS).build(), batched);
            EgressGrpc.newStub(channel).receiver(EgressRequest.newBuilder().addSelectors(LOGS).build(), single);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 2);

        Collector<EnvelopeBatch> third = new Collector<>();
        EgressGrpc.newStub(channel).batchedReceiver(EgressBatchRequest.newBuilder().addSelectors(LOGS).build(), third);
        Throwable refused = third.ended.get(10, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(tc.counter("rejected_requests", "reason", "stream_limit")).isEqualTo(1);

        tc.dopplers.get(0).emit(List.of(log("a", "one", 1), log("a", "two", 2)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                batched.received.stream().mapToInt(EnvelopeBatch::getBatchCount).sum() == 2 && single.received.size() == 2);
        assertThat(single.received).extracting(e -> e.getLog().getPayload().toStringUtf8()).containsExactly("one", "two");

        context.cancel(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void selectorWithoutAType_isInvalidArgument() throws Exception {
        Collector<EnvelopeBatch> observer = new Collector<>();
        EgressGrpc.newStub(channel).batchedReceiver(EgressBatchRequest.newBuilder()
                .addSelectors(Selector.newBuilder().setSourceId("a")).build(), observer);
        Throwable error = observer.ended.get(10, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void noSelectors_tooManySelectors_orAnOversizeShardIdOrDeterministicName_areInvalidArgument_countedAsBadRequests()
            throws Exception {
        double before = tc.counter("rejected_requests", "reason", "bad_request");
        Selector log = Selector.newBuilder().setSourceId("a").setLog(LogSelector.getDefaultInstance()).build();
        EgressBatchRequest.Builder many = EgressBatchRequest.newBuilder();
        for (int i = 0; i <= 100; i++) {
            many.addSelectors(log.toBuilder().setSourceId("source-" + i));
        }
        assertInvalid(EgressBatchRequest.getDefaultInstance(), "at least one selector");
        assertInvalid(many.build(), "at most 100 selectors");
        assertInvalid(EgressBatchRequest.newBuilder().addSelectors(log).setShardId("s".repeat(257)).build(),
                "shard_id");
        // 129 characters, 258 bytes in UTF-8
        assertInvalid(EgressBatchRequest.newBuilder().addSelectors(log).setDeterministicName("é".repeat(129)).build(),
                "deterministic_name may be at most 256 bytes");
        Collector<Envelope> single = new Collector<>();
        EgressGrpc.newStub(channel).receiver(EgressRequest.newBuilder().addSelectors(log)
                .setDeterministicName("d".repeat(257)).build(), single);
        assertThat(Status.fromThrowable(single.ended.get(10, TimeUnit.SECONDS)).getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        Collector<Envelope> empty = new Collector<>();
        EgressGrpc.newStub(channel).receiver(EgressRequest.getDefaultInstance(), empty);
        Throwable error = empty.ended.get(10, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(tc.counter("rejected_requests", "reason", "bad_request")).isEqualTo(before + 6);
        assertThat(tc.dopplerSubscriptions()).isZero();
    }

    private static void assertInvalid(EgressBatchRequest request, String description) throws Exception {
        Collector<EnvelopeBatch> observer = new Collector<>();
        EgressGrpc.newStub(channel).batchedReceiver(request, observer);
        Status status = Status.fromThrowable(observer.ended.get(10, TimeUnit.SECONDS));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains(description);
    }

    @Test
    void anAcceptedStreamOfAQuietSource_sendsItsHeadersBeforeAnyEnvelope() throws Exception {
        ClientCall<EgressBatchRequest, EnvelopeBatch> call =
                channel.newCall(EgressGrpc.getBatchedReceiverMethod(), CallOptions.DEFAULT);
        CompletableFuture<Metadata> headers = new CompletableFuture<>();
        List<EnvelopeBatch> batches = new CopyOnWriteArrayList<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata metadata) {
                headers.complete(metadata);
            }

            @Override
            public void onMessage(EnvelopeBatch batch) {
                batches.add(batch);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(EgressBatchRequest.newBuilder()
                .addSelectors(Selector.newBuilder().setSourceId("quiet").setLog(LogSelector.getDefaultInstance())).build());
        call.halfClose();

        // no Doppler ever sends for "quiet": the headers alone say the stream was taken
        assertThat(headers.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(batches).isEmpty();

        call.cancel("done", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void oversizeRequestMessages_areRefusedCountedAndReportedInOneLineWithoutStackTrace() throws Exception {
        byte[] oversize = new byte[GrpcTransport.MAX_MESSAGE_BYTES + 1];
        int sent = 5;
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        List<LogRecord> julWarnings = new CopyOnWriteArrayList<>();
        Handler julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    julWarnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
        grpc.addHandler(julHandler);
        try {
            for (int i = 0; i < sent; i++) {
                assertThatThrownBy(() -> ClientCalls.blockingServerStreamingCall(channel,
                        RawBytes.of(EgressGrpc.getBatchedReceiverMethod()), CallOptions.DEFAULT, oversize).hasNext())
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            }
            await().atMost(Patience.WAIT).until(() -> tc.counter(OversizeRequests.METRIC) == sent);
        } finally {
            root.detachAppender(logged);
            grpc.removeHandler(julHandler);
        }
        List<ILoggingEvent> events = List.copyOf(logged.list);
        assertThat(julWarnings).isEmpty();
        assertThat(events).filteredOn(e -> e.getLoggerName().startsWith("io.grpc")).isEmpty();
        assertThat(events).filteredOn(e -> e.getLoggerName().equals(OversizeRequests.class.getName()))
                .hasSizeBetween(1, 2)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        assertThat(tc.dopplerSubscriptions()).isZero();
    }
}
