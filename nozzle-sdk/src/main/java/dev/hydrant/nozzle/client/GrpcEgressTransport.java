package dev.hydrant.nozzle.client;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * {@code loggregator.v2.Egress/BatchedReceiver} over mutual TLS (docs/wire.md section 2), with
 * {@code use_preferred_tags} so that deprecated tags arrive as plain tags. Messages are requested from
 * the server only as the reader asks for them (gRPC flow control). The stream counts as open once the
 * call is ready on a connected transport. A dead peer is found by HTTP/2 keep-alive pings.
 */
final class GrpcEgressTransport implements StreamTransport {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final GrpcSettings settings;
    private final ManagedChannel channel;

    GrpcEgressTransport(GrpcSettings settings) {
        this.settings = settings;
        this.channel = GrpcTransport.channel(settings.target(), settings.serverName(), settings.tls(), GrpcSettings.TLS_PREFIX)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .build();
    }

    @Override
    public String endpoint() {
        return "grpc://" + settings.target();
    }

    @Override
    public Flux<Frame> open(ReadRequest request, String token) {
        EgressBatchRequest egress = EgressBatchRequest.newBuilder()
                .setShardId(request.subscriptionId())
                .addAllSelectors(request.selectors())
                .setUsePreferredTags(true)
                .build();
        return Flux.create(sink -> {
            ClientCall<EgressBatchRequest, EnvelopeBatch> call =
                    channel.newCall(EgressGrpc.getBatchedReceiverMethod(), CallOptions.DEFAULT);
            AtomicBoolean opened = new AtomicBoolean();
            Metadata headers = new Metadata();
            if (!token.isEmpty()) {
                headers.put(AUTHORIZATION, "bearer " + token);
            }
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onReady() {
                    if (opened.compareAndSet(false, true)) {
                        sink.next(Frame.OPEN);
                    }
                }

                @Override
                public void onHeaders(Metadata metadata) {
                    onReady();
                }

                @Override
                public void onMessage(EnvelopeBatch batch) {
                    onReady();
                    sink.next(batch.getBatchCount() == 0 ? Frame.HEARTBEAT : Frame.data(batch.getBatchList()));
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    if (status.isOk()) {
                        sink.complete();
                    } else {
                        sink.error(failure(status));
                    }
                }
            }, headers);
            sink.onRequest(n -> call.request((int) Math.min(n, 1 << 20)));
            sink.onCancel(() -> call.cancel("the reader cancelled", null));
            call.sendMessage(egress);
            call.halfClose();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private static RuntimeException failure(Status status) {
        String text = "gRPC BatchedReceiver: " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription());
        return switch (status.getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED ->
                    new HydrantClientException(text, 0, status.getCode().name(), true, true, false, status.getCause());
            case INVALID_ARGUMENT, UNIMPLEMENTED ->
                    new HydrantClientException(text, 0, status.getCode().name(), false, false, false, status.getCause());
            default -> new HydrantClientException(text, 0, status.getCode().name(), true, false, false, status.getCause());
        };
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1000);
    }
}
