package dev.hydrant.doppler.ingress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.IngressResponse;
import org.cloudfoundry.loggregator.v2.SendResponse;

/**
 * {@code loggregator.v2.Ingress}: Sender (one envelope per message), BatchSender (one batch per
 * message) and Send (one unary batch), all handed to the {@link Intake} on the gRPC thread. Served
 * with {@link WireMethods}, so a batch arrives as the envelopes' own bytes ({@link EncodedEnvelope}),
 * validated but not parsed into messages. A message that does not parse fails only its own call
 * (the server's {@code MalformedRequests} guard answers INVALID_ARGUMENT); nothing is shared between
 * calls but the intake.
 *
 * <p>At shutdown, {@link #closeAll()} ends every open ingress stream with {@code UNAVAILABLE}
 * before the egress streams are flushed: an agent then counts what it could not get confirmed
 * (or sends it elsewhere), rather than having it confirmed by a doppler that has no one left to
 * hand it to.
 */
public final class IngressService implements BindableService {

    private final Intake intake;
    private final Set<Inbound<?, ?>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public IngressService(Intake intake) {
        this.intake = Objects.requireNonNull(intake, "intake");
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(IngressGrpc.SERVICE_NAME)
                .setSchemaDescriptor(IngressGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(WireMethods.INGRESS_SENDER)
                .addMethod(WireMethods.INGRESS_BATCH_SENDER)
                .addMethod(WireMethods.INGRESS_SEND)
                .build();
        return ServerServiceDefinition.builder(descriptor)
                .addMethod(WireMethods.INGRESS_SENDER, ServerCalls.asyncClientStreamingCall(this::sender))
                .addMethod(WireMethods.INGRESS_BATCH_SENDER, ServerCalls.asyncClientStreamingCall(this::batchSender))
                .addMethod(WireMethods.INGRESS_SEND, ServerCalls.asyncUnaryCall(this::send))
                .build();
    }

    StreamObserver<EncodedEnvelope> sender(StreamObserver<IngressResponse> response) {
        return register(new Inbound<>(response, IngressResponse.getDefaultInstance()) {
            @Override
            void accept(EncodedEnvelope envelope) {
                intake.accept(List.of(envelope));
            }
        });
    }

    StreamObserver<List<EncodedEnvelope>> batchSender(StreamObserver<BatchSenderResponse> response) {
        return register(new Inbound<>(response, BatchSenderResponse.getDefaultInstance()) {
            @Override
            void accept(List<EncodedEnvelope> batch) {
                intake.accept(batch);
            }
        });
    }

    void send(List<EncodedEnvelope> batch, StreamObserver<SendResponse> response) {
        if (closing) {
            response.onError(SHUTTING_DOWN.asRuntimeException());
            return;
        }
        intake.accept(batch);
        response.onNext(SendResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** Ends every open ingress stream with UNAVAILABLE and refuses new data; used at shutdown. */
    public void closeAll() {
        closing = true;
        for (Inbound<?, ?> inbound : open) {
            inbound.abort();
        }
    }

    private <T extends Inbound<?, ?>> T register(T inbound) {
        open.add(inbound);
        if (closing) {
            inbound.abort();
        }
        return inbound;
    }

    private static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("doppler is shutting down");

    /** A client stream that answers its empty response when the client half-closes. */
    private abstract class Inbound<T, R> implements StreamObserver<T> {
        private final StreamObserver<R> response;
        private final R done;
        private boolean ended;

        Inbound(StreamObserver<R> response, R done) {
            this.response = response;
            this.done = done;
        }

        abstract void accept(T message);

        @Override
        public synchronized void onNext(T message) {
            if (!ended) {
                accept(message);
            }
        }

        @Override
        public synchronized void onError(Throwable error) {
            // The client went away or sent garbage; only this call ends.
            ended = true;
            open.remove(this);
        }

        @Override
        public synchronized void onCompleted() {
            open.remove(this);
            if (!ended) {
                ended = true;
                response.onNext(done);
                response.onCompleted();
            }
        }

        synchronized void abort() {
            open.remove(this);
            if (!ended) {
                ended = true;
                response.onError(SHUTTING_DOWN.asRuntimeException());
            }
        }
    }
}
