package dev.hydrant.metron.ingress;

import dev.hydrant.metron.ratelimit.AppLogRateLimiter;
import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.IngressResponse;
import org.cloudfoundry.loggregator.v2.SendResponse;

/**
 * {@code loggregator.v2.Ingress} as emitters on the host see it. Every received envelope is
 * tagged and offered to the agent's drop-oldest buffer, so an emitter is never blocked: when
 * the buffer is full the oldest waiting envelope is dropped (counted by the buffer's owner).
 *
 * <p>{@code BatchSender} and {@code Send} work a batch at a time (one tagging pass and one
 * {@code offerAll} per received batch); {@code Sender} carries one envelope per message and is
 * handled per message.
 *
 * <p>Every input, received or the agent's own collectors', passes the per-app log rate limit after
 * tagging (so that a source id taken from {@code tags["origin"]} counts): what it drops never reaches the buffer.
 */
public final class IngressService extends IngressGrpc.IngressImplBase {

    private final EnvelopeTagger tagger;
    private final DropOldestBuffer<Envelope> buffer;
    private final Counter ingress;
    private final AppLogRateLimiter limiter;

    /**
     * With no log rate limit.
     *
     * @param ingress counted up by the number of envelopes received
     */
    public IngressService(EnvelopeTagger tagger, DropOldestBuffer<Envelope> buffer, Counter ingress) {
        this(tagger, buffer, ingress, AppLogRateLimiter.off());
    }

    /**
     * @param ingress counted up by the number of envelopes received
     * @param limiter the per-app log rate limit, applied to every input
     */
    public IngressService(EnvelopeTagger tagger, DropOldestBuffer<Envelope> buffer, Counter ingress,
                          AppLogRateLimiter limiter) {
        this.tagger = Objects.requireNonNull(tagger, "tagger");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** Accepts a batch from the agent itself (its self-metrics), exactly as a received one. */
    public void accept(List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        ingress.increment(envelopes.size());
        buffer.offerAll(limiter.admit(tagger.tag(envelopes)));
    }

    /**
     * Accepts a batch from the agent's own collectors (scraped Prometheus metrics, container metrics):
     * tagged and counted as a received one, but its counters keep the totals they carry.
     */
    public void acceptWithTotals(List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        ingress.increment(envelopes.size());
        buffer.offerAll(limiter.admit(tagger.tagKeepingTotals(envelopes)));
    }

    @Override
    public StreamObserver<Envelope> sender(StreamObserver<IngressResponse> response) {
        return new Inbound<>(response, IngressResponse.getDefaultInstance()) {
            @Override
            public void onNext(Envelope envelope) {
                ingress.increment();
                Envelope tagged = tagger.tag(envelope);
                if (limiter.isOff()) {
                    buffer.offer(tagged);
                } else {
                    buffer.offerAll(limiter.admit(List.of(tagged)));
                }
            }
        };
    }

    @Override
    public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
        return new Inbound<>(response, BatchSenderResponse.getDefaultInstance()) {
            @Override
            public void onNext(EnvelopeBatch batch) {
                accept(batch.getBatchList());
            }
        };
    }

    @Override
    public void send(EnvelopeBatch batch, StreamObserver<SendResponse> response) {
        accept(batch.getBatchList());
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
