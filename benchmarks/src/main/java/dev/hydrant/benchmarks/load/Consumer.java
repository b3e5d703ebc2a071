package dev.hydrant.benchmarks.load;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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
 *
 * <p>For each envelope of the run it records the latency from the envelope's timestamp to its
 * receipt (microseconds, HdrHistogram) and marks its (emitter, sequence) as seen, so that
 * duplicates are not counted as received.
 */
final class Consumer implements ClientResponseObserver<EgressBatchRequest, EnvelopeBatch> {

    /** Batches requested ahead of the one being handled. */
    private static final int WINDOW = 8;
    private static final long HIGHEST_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final String shardId;
    private final boolean stalled;
    private final HarnessClock clock;
    private final Histogram latencyMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private final BitSet[] seen;
    private final CountDownLatch probeSeen = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private ClientCallStreamObserver<EgressBatchRequest> call;
    private volatile long received;
    private volatile long duplicates;
    private volatile long foreign;
    private volatile long lastReceiveNanos;
    private volatile long lastActivityNanos;
    private volatile Throwable failure;
    private volatile boolean closing;

    Consumer(String shardId, boolean stalled, HarnessClock clock, int emitters) {
        this.shardId = shardId;
        this.stalled = stalled;
        this.clock = clock;
        this.seen = new BitSet[emitters];
        for (int i = 0; i < emitters; i++) {
            seen[i] = new BitSet();
        }
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
        long fresh = 0;
        long doubled = 0;
        long other = 0;
        for (int i = 0, n = batch.getBatchCount(); i < n; i++) {
            Envelope envelope = batch.getBatch(i);
            if (!envelope.hasLog() || !LoadEnvelopes.SOURCE_ID.equals(envelope.getSourceId())) {
                if (LoadEnvelopes.PROBE_SOURCE_ID.equals(envelope.getSourceId())) {
                    probeSeen.countDown();
                }
                other++;
                continue;
            }
            ByteString payload = envelope.getLog().getPayload();
            int emitter = LoadEnvelopes.emitterOf(payload);
            long sequence = LoadEnvelopes.sequenceOf(payload);
            if (emitter < 0 || emitter >= seen.length || sequence < 0 || sequence > Integer.MAX_VALUE) {
                other++;
                continue;
            }
            if (seen[emitter].get((int) sequence)) {
                doubled++;
                continue;
            }
            seen[emitter].set((int) sequence);
            fresh++;
            latencyMicros.recordValue(Math.min(HIGHEST_LATENCY_MICROS,
                    Math.max(0, (now - envelope.getTimestamp()) / 1_000)));
        }
        if (fresh > 0) {
            received += fresh;
            lastReceiveNanos = System.nanoTime();
        }
        duplicates += doubled;
        foreign += other;
        lastActivityNanos = System.nanoTime();
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

    /** Waits until a probe envelope has come through this subscription. */
    boolean awaitProbe(long timeout, TimeUnit unit) throws InterruptedException {
        return probeSeen.await(timeout, unit);
    }

    /** Cancels the stream and waits for it to close, so that the counts read after are final. */
    void close(long timeout, TimeUnit unit) throws InterruptedException {
        closing = true;
        if (call != null) {
            call.cancel("load run finished", null);
        }
        closed.await(timeout, unit);
    }

    boolean stalled() {
        return stalled;
    }

    long received() {
        return received;
    }

    long duplicates() {
        return duplicates;
    }

    long foreign() {
        return foreign;
    }

    /** System.nanoTime() of the last new envelope of the run, 0 if none came. */
    long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    /** System.nanoTime() of the last batch of any kind, 0 if none came. */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Whether the stream ended other than by {@link #close}. */
    Throwable failure() {
        return failure;
    }

    /** The latency histogram; read it only after {@link #close}. */
    Histogram latencyMicros() {
        return latencyMicros;
    }
}
