package dev.hydrant.metron.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import dev.hydrant.api.wire.WireMethods;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;

/**
 * One {@code Ingress.BatchSender} call to a Doppler, and the account of what it carried. Batches are
 * written as the envelopes' bytes, framed straight into gRPC's buffers ({@link WireMethods#INGRESS_BATCH_SENDER}).
 *
 * <p>A client stream carries no acknowledgement per message; the only confirmation is the
 * {@code BatchSenderResponse} that closes the call. So the stream keeps a count of the
 * envelopes written into it and settles that count exactly once: when the Doppler answers, they
 * are counted as {@code egress}; when the call fails (Doppler gone, stream reset, deadline), they
 * are counted as {@code dropped{direction=egress}}. A batch written after the call ended is
 * counted as dropped at once. A batch bigger than a Doppler accepts ({@link GrpcTransport#MAX_MESSAGE_BYTES};
 * only an envelope that came near that limit and grew with its tags makes one, alone in its batch)
 * is counted as dropped and not written: the Doppler would refuse it and end the call, and with it
 * lose everything else the stream carried. The batches' {@link Departures} ranges are settled with them, once.
 * Only the owning worker writes; callbacks run on gRPC's threads.
 */
final class BatchStream implements ClientResponseObserver<List<EncodedEnvelope>, BatchSenderResponse> {

    private enum State { OPEN, CONFIRMED, FAILED }

    private final Counter egress;
    private final Counter dropped;
    private final Runnable wake;
    private final Backoff backoff;
    private ClientCallStreamObserver<List<EncodedEnvelope>> requests;
    private final List<Departures.Range> ranges = new ArrayList<>();
    private State state = State.OPEN;
    private long carried;

    private BatchStream(Counter egress, Counter dropped, Runnable wake, Backoff backoff) {
        this.egress = egress;
        this.dropped = dropped;
        this.wake = wake;
        this.backoff = backoff;
    }

    /**
     * Opens a call whose deadline is {@code deadlineNanos} from now.
     *
     * @param options the calls' options but the deadline
     * @param wake    run whenever the stream becomes writable or ends
     */
    static BatchStream open(Channel channel, CallOptions options, long deadlineNanos, Counter egress, Counter dropped,
                            Runnable wake, Backoff backoff) {
        BatchStream stream = new BatchStream(egress, dropped, wake, backoff);
        ClientCalls.asyncClientStreamingCall(channel.newCall(WireMethods.INGRESS_BATCH_SENDER,
                options.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)), stream);
        return stream;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<List<EncodedEnvelope>> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(wake);
    }

    /** Whether a batch can be written now without queueing beyond gRPC's flow-control threshold. */
    boolean isReady() {
        return requests.isReady();
    }

    /** Whether the call has ended, confirmed or failed. */
    synchronized boolean isDone() {
        return state != State.OPEN;
    }

    synchronized boolean failed() {
        return state == State.FAILED;
    }

    /** Envelopes written into this stream so far. */
    synchronized long carried() {
        return carried;
    }

    /**
     * Writes one batch; if the call has already ended, or the batch is bigger than a Doppler accepts,
     * the batch is counted as dropped. The lists are copied (the envelopes are immutable), so the caller may
     * reuse {@code batch} and {@code taken} at once.
     *
     * @param taken the batch's ranges, settled with it
     */
    void send(List<EncodedEnvelope> batch, List<Departures.Range> taken) {
        int size = batch.size();
        boolean oversize = EnvelopeFrames.batchSize(batch) > GrpcTransport.MAX_MESSAGE_BYTES;
        List<EncodedEnvelope> message = List.copyOf(batch);
        synchronized (this) {
            if (state != State.OPEN || oversize) {
                dropped.increment(size);
                Departures.settle(taken);
                return;
            }
            carried += size;
            ranges.addAll(taken);
        }
        try {
            requests.onNext(message);
        } catch (RuntimeException e) {
            // the call was torn down under us: its failure callback counts what it carried
            requests.cancel("write failed", e);
        }
    }

    /** Half-closes the call: the Doppler's answer will confirm what it carried. */
    void complete() {
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            requests.cancel("close failed", e);
        }
    }

    /** Abandons the call; what it carried and was not confirmed is counted as dropped. */
    void cancel(String reason) {
        requests.cancel(reason, null);
    }

    @Override
    public void onNext(BatchSenderResponse response) {
        // the confirmation is the successful end of the call, see onCompleted
    }

    @Override
    public void onError(Throwable error) {
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.FAILED;
                dropped.increment(carried);
                Departures.settle(ranges);
            }
        }
        wake.run();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.CONFIRMED;
                egress.increment(carried);
                Departures.settle(ranges);
            }
        }
        backoff.reset();
        wake.run();
    }
}
