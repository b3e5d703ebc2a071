package dev.hydrant.benchmarks.load;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * One subscriber on Doppler's {@code Egress.BatchedReceiver} with the selector "all logs" and a
 * shard id of its own, so that it gets the whole stream. It uses manual gRPC flow control: a
 * small window of batches is requested and one more after each batch is handled. A stalled
 * consumer requests nothing at all and never reads, so Doppler must drop for it alone.
 */
final class DopplerConsumer implements LoadConsumer, ClientResponseObserver<EgressBatchRequest, EnvelopeBatch> {

    /** Batches requested ahead of the one being handled. */
    private static final int WINDOW = 8;

    private final String shardId;
    private final boolean stalled;
    private final HarnessClock clock;
    private final Receipts receipts;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ClientCallStreamObserver<EgressBatchRequest> call;
    private volatile Throwable failure;
    private volatile boolean closing;

    DopplerConsumer(String shardId, boolean stalled, HarnessClock clock, int emitters) {
        this.shardId = Objects.requireNonNull(shardId, "shardId");
        this.stalled = stalled;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.receipts = new Receipts(emitters);
    }

    /** Opens the stream on {@code channel}. */
    void subscribe(ManagedChannel channel) {
        EgressBatchRequest request = EgressBatchRequest.newBuilder()
                .setShardId(shardId)
                .addSelectors(Selector.newBuilder().setLog(LogSelector.getDefaultInstance()))
                .build();
        EgressGrpc.newStub(channel).batchedReceiver(request, this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<EgressBatchRequest> requestStream) {
        this.call = requestStream;
        requestStream.disableAutoRequestWithInitial(stalled ? 0 : WINDOW);
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        long now = clock.nowEpochNanos();
        for (int i = 0, n = batch.getBatchCount(); i < n; i++) {
            Envelope envelope = batch.getBatch(i);
            if (envelope.hasLog() && LoadEnvelopes.SOURCE_ID.equals(envelope.getSourceId())) {
                receipts.run(envelope.getLog().getPayload(), envelope.getTimestamp(), now);
            } else if (LoadEnvelopes.PROBE_SOURCE_ID.equals(envelope.getSourceId())) {
                receipts.probe();
            } else {
                receipts.other();
            }
        }
        receipts.publish();
        call.request(1);
    }

    @Override
    public void onError(Throwable t) {
        if (!closing) {
            failure = t;
        }
        closed.countDown();
    }

    @Override
    public void onCompleted() {
        closed.countDown();
    }

    @Override
    public ConsumerKind kind() {
        return ConsumerKind.DOPPLER;
    }

    @Override
    public String subscription() {
        return shardId;
    }

    @Override
    public Receipts receipts() {
        return receipts;
    }

    @Override
    public String failure() {
        Throwable t = failure;
        return t == null ? null : t.toString();
    }

    /** Cancels the stream and waits for it to close. */
    @Override
    public void close(long timeout, TimeUnit unit) throws InterruptedException {
        closing = true;
        if (call != null) {
            call.cancel("load run finished", null);
        }
        closed.await(timeout, unit);
    }
}
