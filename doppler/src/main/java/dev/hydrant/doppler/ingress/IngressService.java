package dev.hydrant.doppler.ingress;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.IngressResponse;
import org.cloudfoundry.loggregator.v2.SendResponse;

/**
 * {@code loggregator.v2.Ingress}: Sender (one envelope per message), BatchSender (one batch per
 * message) and Send (one unary batch), all handed to the {@link Intake} on the gRPC thread. A
 * message that does not parse fails only its own call (gRPC closes it); nothing is shared
 * between calls but the intake.
 */
public final class IngressService extends IngressGrpc.IngressImplBase {

    private final Intake intake;

    public IngressService(Intake intake) {
        this.intake = Objects.requireNonNull(intake, "intake");
    }

    @Override
    public StreamObserver<Envelope> sender(StreamObserver<IngressResponse> response) {
        return new Inbound<>(response, IngressResponse.getDefaultInstance()) {
            @Override
            public void onNext(Envelope envelope) {
                intake.accept(List.of(envelope));
            }
        };
    }

    @Override
    public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
        return new Inbound<>(response, BatchSenderResponse.getDefaultInstance()) {
            @Override
            public void onNext(EnvelopeBatch batch) {
                intake.accept(batch.getBatchList());
            }
        };
    }

    @Override
    public void send(EnvelopeBatch batch, StreamObserver<SendResponse> response) {
        intake.accept(batch.getBatchList());
        response.onNext(SendResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** A client stream that answers its empty response when the client half-closes. */
    private abstract static class Inbound<T, R> implements StreamObserver<T> {
        private final StreamObserver<R> response;
        private final R done;

        Inbound(StreamObserver<R> response, R done) {
            this.response = response;
            this.done = done;
        }

        @Override
        public void onError(Throwable error) {
            // The client went away or sent garbage; only this call ends.
        }

        @Override
        public void onCompleted() {
            response.onNext(done);
            response.onCompleted();
        }
    }
}
