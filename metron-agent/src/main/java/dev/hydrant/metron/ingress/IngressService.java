package dev.hydrant.metron.ingress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import dev.hydrant.metron.ratelimit.AppLogRateLimiter;
import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.IngressResponse;
import org.cloudfoundry.loggregator.v2.SendResponse;

/**
 * {@code loggregator.v2.Ingress} as emitters on the host see it, served on bytes ({@link WireMethods}): a
 * received batch arrives as the envelopes' own bytes, validated as protobuf would (a message that is not a
 * valid batch fails its call alone, with {@code INVALID_ARGUMENT}, see the server's guard). Every envelope is
 * tagged and offered to the agent's drop-oldest buffer, so an emitter is never blocked: when the buffer is
 * full the oldest waiting envelope is dropped (counted by the buffer's owner). The envelopes leave the agent
 * as the same bytes, with only the host's missing tags appended ({@link EnvelopeTagger}).
 *
 * <p>{@code BatchSender} and {@code Send} work a batch at a time (one tagging pass and one {@code offerAll}
 * per received batch); {@code Sender} carries one envelope per message and is handled per message.
 *
 * <p>Every input, received or the agent's own collectors', passes the per-app log rate limit after
 * tagging (so that a source id taken from {@code tags["origin"]} counts): what it drops never reaches the buffer.
 */
public final class IngressService implements BindableService {

    private final EnvelopeTagger tagger;
    private final DropOldestBuffer<EncodedEnvelope> buffer;
    private final Counter ingress;
    private final AppLogRateLimiter limiter;

    /**
     * With no log rate limit.
     *
     * @param ingress counted up by the number of envelopes received
     */
    public IngressService(EnvelopeTagger tagger, DropOldestBuffer<EncodedEnvelope> buffer, Counter ingress) {
        this(tagger, buffer, ingress, AppLogRateLimiter.off());
    }

    /**
     * @param ingress counted up by the number of envelopes received
     * @param limiter the per-app log rate limit, applied to every input
     */
    public IngressService(EnvelopeTagger tagger, DropOldestBuffer<EncodedEnvelope> buffer, Counter ingress,
                          AppLogRateLimiter limiter) {
        this.tagger = Objects.requireNonNull(tagger, "tagger");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** Accepts a batch from the agent itself (its self-metrics, files, UDP), exactly as a received one. */
    public void accept(List<Envelope> envelopes) {
        if (!envelopes.isEmpty()) {
            acceptEncoded(encoded(envelopes));
        }
    }

    /**
     * Accepts a batch from the agent's own collectors (scraped Prometheus metrics, container metrics):
     * tagged and counted as a received one, but its counters keep the totals they carry.
     */
    public void acceptWithTotals(List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        List<EncodedEnvelope> batch = encoded(envelopes);
        ingress.increment(batch.size());
        tagger.tagKeepingTotals(batch);
        buffer.offerAll(limiter.admit(batch));
    }

    /**
     * Accepts a received batch: counted, tagged (in place: {@code batch} must be modifiable), rate limited,
     * offered to the buffer in one go.
     */
    public void acceptEncoded(List<EncodedEnvelope> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ingress.increment(batch.size());
        tagger.tag(batch);
        buffer.offerAll(limiter.admit(batch));
    }

    private static List<EncodedEnvelope> encoded(List<Envelope> envelopes) {
        List<EncodedEnvelope> batch = new ArrayList<>(envelopes.size());
        for (int i = 0, n = envelopes.size(); i < n; i++) {
            batch.add(EncodedEnvelope.of(envelopes.get(i)));
        }
        return batch;
    }

    /** One envelope of a {@code Sender} stream. */
    private void acceptOne(EncodedEnvelope envelope) {
        ingress.increment();
        EncodedEnvelope tagged = tagger.tag(envelope);
        if (limiter.isOff()) {
            buffer.offer(tagged);
        } else {
            List<EncodedEnvelope> one = new ArrayList<>(1);
            one.add(tagged);
            buffer.offerAll(limiter.admit(one));
        }
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(IngressGrpc.SERVICE_NAME)
                .addMethod(WireMethods.INGRESS_SENDER, ServerCalls.asyncClientStreamingCall(
                        response -> new Inbound<EncodedEnvelope, IngressResponse>(response,
                                IngressResponse.getDefaultInstance()) {
                            @Override
                            public void onNext(EncodedEnvelope envelope) {
                                acceptOne(envelope);
                            }
                        }))
                .addMethod(WireMethods.INGRESS_BATCH_SENDER, ServerCalls.asyncClientStreamingCall(
                        response -> new Inbound<List<EncodedEnvelope>, BatchSenderResponse>(response,
                                BatchSenderResponse.getDefaultInstance()) {
                            @Override
                            public void onNext(List<EncodedEnvelope> batch) {
                                acceptEncoded(batch);
                            }
                        }))
                .addMethod(WireMethods.INGRESS_SEND, ServerCalls.asyncUnaryCall(this::send))
                .build();
    }

    private void send(List<EncodedEnvelope> batch, StreamObserver<SendResponse> response) {
        acceptEncoded(batch);
        response.onNext(SendResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** A client stream: answered with the empty response when the emitter closes it. */
    private abstract static class Inbound<T, R> implements StreamObserver<T> {

        private final StreamObserver<R> response;
        private final R done;

        Inbound(StreamObserver<R> response, R done) {
            this.response = response;
            this.done = done;
        }

        @Override
        public void onError(Throwable t) {
            // the emitter went away: what it sent is already buffered, nothing to answer
        }

        @Override
        public void onCompleted() {
            response.onNext(done);
            response.onCompleted();
        }
    }
}
