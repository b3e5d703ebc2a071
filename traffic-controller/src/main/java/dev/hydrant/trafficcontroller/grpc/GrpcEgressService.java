package dev.hydrant.trafficcontroller.grpc;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.fanin.ClientStream;
import dev.hydrant.trafficcontroller.fanin.ClientStreams;
import dev.hydrant.trafficcontroller.fanin.EgressLimits;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * {@code loggregator.v2.Egress} for nozzles in the data centre (mutual TLS, no bearer token): a
 * {@link ClientStream} like every other client's, sent with gRPC flow control (only while the call
 * {@code isReady}; the client buffer drops the oldest meanwhile). At most {@code maxStreams} are
 * open at once; one more answers RESOURCE_EXHAUSTED. A selector without a type, no selector at all,
 * more selectors or a longer shard id than {@link EgressLimits} allows answer INVALID_ARGUMENT
 * (counted as bad_request). An accepted stream sends its response headers at once
 * ({@link AcceptedHeaders}), before any envelope. At shutdown ({@link ClientStreams#finishAll()}) a
 * stream sends what its buffer still holds and completes OK.
 *
 * <p>Served with {@link WireMethods#EGRESS_BATCHED_RECEIVER} and {@link WireMethods#EGRESS_RECEIVER}: the
 * envelopes go out as the bytes the Dopplers sent, framed straight into gRPC's buffers, never parsed or
 * encoded again here; a batch is at most {@link ClientStream#MAX_BATCH} envelopes and 1 MiB.
 */
public final class GrpcEgressService implements BindableService {

    private final ClientStreams streams;
    private final ProxyMetrics metrics;
    private final Rejections rejections;
    private final int maxStreams;
    private final EgressLimits limits;
    private final AtomicInteger open = new AtomicInteger();

    public GrpcEgressService(ClientStreams streams, ProxyMetrics metrics, Rejections rejections, int maxStreams,
                             EgressLimits limits) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
        this.maxStreams = maxStreams;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(EgressGrpc.SERVICE_NAME)
                .addMethod(WireMethods.EGRESS_BATCHED_RECEIVER, ServerCalls.asyncServerStreamingCall(this::batchedReceiver))
                .addMethod(WireMethods.EGRESS_RECEIVER, ServerCalls.asyncServerStreamingCall(this::receiver))
                .build();
    }

    /** {@code BatchedReceiver}: one batch message per drained batch, framed from the envelopes' bytes. */
    void batchedReceiver(EgressBatchRequest request, StreamObserver<List<EncodedEnvelope>> responses) {
        ServerCallStreamObserver<List<EncodedEnvelope>> call = (ServerCallStreamObserver<List<EncodedEnvelope>>) responses;
        serve(request, call, call::onNext);
    }

    /** {@code Receiver}: one message per envelope, its bytes as they came. */
    void receiver(EgressRequest request, StreamObserver<EncodedEnvelope> responses) {
        ServerCallStreamObserver<EncodedEnvelope> call = (ServerCallStreamObserver<EncodedEnvelope>) responses;
        EgressBatchRequest batchRequest = EgressBatchRequest.newBuilder()
                .setShardId(request.getShardId())
                .setUsePreferredTags(request.getUsePreferredTags())
                .addAllSelectors(request.getSelectorsList())
                .setDeterministicName(request.getDeterministicName())
                .build();
        if (request.hasLegacySelector()) {
            batchRequest = batchRequest.toBuilder().setLegacySelector(request.getLegacySelector()).build();
        }
        serve(batchRequest, call, batch -> {
            for (int i = 0; i < batch.size(); i++) {
                call.onNext(batch.get(i));
            }
        });
    }

    private void serve(EgressBatchRequest request, ServerCallStreamObserver<?> call, Consumer<List<EncodedEnvelope>> send) {
        String violation = limits.violation(request);
        for (Selector selector : request.getSelectorsList()) {
            if (selector.getMessageCase() == Selector.MessageCase.MESSAGE_NOT_SET) {
                violation = "selector without an envelope type";
            }
        }
        if (violation != null) {
            rejections.count("bad_request");
            call.onError(Status.INVALID_ARGUMENT.withDescription(violation).asRuntimeException());
            return;
        }
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            rejections.count("stream_limit");
            call.onError(Status.RESOURCE_EXHAUSTED.withDescription("too many egress streams (max " + maxStreams + ")")
                    .asRuntimeException());
            return;
        }
        ClientStream stream = streams.open(request, metrics.grpcStreams());
        call.setOnCancelHandler(() -> {
            stream.close();
            open.decrementAndGet();
        });
        call.setOnReadyHandler(stream::drain);
        AcceptedHeaders.sendNow();
        Counter egress = metrics.egress("grpc");
        stream.drainInto(new ClientStream.Outlet() {
            @Override
            public int room() {
                return !call.isCancelled() && call.isReady() ? ClientStream.MAX_BATCH : 0;
            }

            @Override
            public void send(List<EncodedEnvelope> batch) {
                send.accept(batch);
                egress.increment(batch.size());
            }

            @Override
            public void complete() {
                call.onCompleted();
            }
        });
    }
}
