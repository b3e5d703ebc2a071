package dev.hydrant.benchmarks.load;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * A v2 subscriber on a Doppler's {@code Egress.BatchedReceiver} for the logs of one source id, whose payloads
 * start with a 12-digit line number: it keeps each line's timestamp, counts lines received twice and arrivals
 * out of line order ({@link FileTailBench}). Flow control is gRPC's own: one batch asked for after each one handled.
 */
final class FileTailSubscriber implements ClientResponseObserver<EgressBatchRequest, EnvelopeBatch> {

    final AtomicLong received = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong twice = new AtomicLong();
    final AtomicLong beyond = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final String sourceId;
    private final long[] timestamps;
    private long last = -1;
    private volatile ClientCallStreamObserver<EgressBatchRequest> call;

    private FileTailSubscriber(String sourceId, int lines) {
        this.sourceId = sourceId;
        this.timestamps = new long[lines];
    }

    /** Subscribes, with a shard id of its own, to the logs of {@code sourceId}; room for {@code lines} line numbers. */
    static FileTailSubscriber subscribe(ManagedChannel channel, String sourceId, int lines) {
        FileTailSubscriber subscriber = new FileTailSubscriber(sourceId, lines);
        EgressBatchRequest request = EgressBatchRequest.newBuilder()
                .setShardId("file-tail-bench-" + System.nanoTime())
                .addSelectors(Selector.newBuilder().setSourceId(sourceId).setLog(LogSelector.getDefaultInstance()))
                .build();
        EgressGrpc.newStub(channel).batchedReceiver(request, subscriber);
        return subscriber;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<EgressBatchRequest> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        synchronized (this) {
            for (Envelope envelope : batch.getBatchList()) {
                if (envelope.hasLog() && sourceId.equals(envelope.getSourceId())) {
                    record(Long.parseLong(envelope.getLog().getPayload().substring(0, 12).toStringUtf8()),
                            envelope.getTimestamp());
                }
            }
        }
    }

    private void record(long line, long timestamp) {
        if (line <= last) {
            outOfOrder.incrementAndGet();
        }
        last = line;
        if (line < timestamps.length) {
            if (timestamps[(int) line] != 0) {
                twice.incrementAndGet();
            }
            timestamps[(int) line] = timestamp;
        } else {
            beyond.incrementAndGet();
        }
        received.incrementAndGet();
    }

    /** Lines among the first {@code lines} never received. */
    synchronized long missing(long lines) {
        long n = 0;
        for (int i = 0; i < lines; i++) {
            n += timestamps[i] == 0 ? 1 : 0;
        }
        return n;
    }

    /** Received lines among the first {@code lines} whose timestamp is not after the previous received line's. */
    synchronized long timestampsOutOfFileOrder(long lines) {
        long n = 0;
        long previous = 0;
        for (int i = 0; i < lines; i++) {
            if (timestamps[i] != 0) {
                n += timestamps[i] <= previous ? 1 : 0;
                previous = timestamps[i];
            }
        }
        return n;
    }

    @Override
    public void onError(Throwable t) {
        failure.compareAndSet(null, t);
    }

    @Override
    public void onCompleted() {
    }

    void cancel() {
        if (call != null) {
            call.cancel("benchmark done", null);
        }
    }
}
