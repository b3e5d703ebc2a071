package dev.hydrant.it.shutdown;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Log envelopes of one source id on one {@code BatchSender} stream, 100 per batch, at a steady
 * rate on its own thread, for as long as the receiver keeps the stream open or until
 * {@link #stop()}: the load under which a component is asked to stop. Each envelope carries its
 * sequence number in the {@code seq} tag.
 */
final class PacedFeeder implements AutoCloseable {

    private static final int BATCH = 100;

    private final String sourceId;
    private final long nanosPerBatch;
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean ended;

    private PacedFeeder(ManagedChannel channel, String sourceId, int perSecond) {
        this.sourceId = sourceId;
        this.nanosPerBatch = TimeUnit.SECONDS.toNanos(1) * BATCH / perSecond;
        StreamObserver<EnvelopeBatch> stream = IngressGrpc.newStub(channel).batchSender(new StreamObserver<>() {
            @Override
            public void onNext(BatchSenderResponse response) {
            }

            @Override
            public void onError(Throwable t) {
                ended = true; // the receiver stopped: this emitter has nowhere to send
            }

            @Override
            public void onCompleted() {
                ended = true;
            }
        });
        this.thread = new Thread(() -> feed(stream), "feeder-" + sourceId);
        this.thread.setDaemon(true);
    }

    /** Starts sending {@code perSecond} envelopes a second (a multiple of 100) of {@code sourceId}. */
    static PacedFeeder start(ManagedChannel channel, String sourceId, int perSecond) {
        PacedFeeder feeder = new PacedFeeder(channel, sourceId, perSecond);
        feeder.thread.start();
        return feeder;
    }

    private void feed(StreamObserver<EnvelopeBatch> stream) {
        long next = System.nanoTime();
        long seq = 0;
        while (!ended) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += nanosPerBatch;
            EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
            for (int i = 0; i < BATCH; i++) {
                batch.addBatch(Envelope.newBuilder()
                        .setSourceId(sourceId)
                        .setTimestamp(System.currentTimeMillis() * 1_000_000L)
                        .putTags("seq", Long.toString(seq++))
                        .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("line " + seq + " of " + sourceId))));
            }
            try {
                stream.onNext(batch.build());
            } catch (RuntimeException closed) {
                break;
            }
            sent.addAndGet(BATCH);
        }
        if (!ended) {
            stream.onCompleted();
        }
    }

    /** Envelopes handed to the stream so far. */
    long sent() {
        return sent.get();
    }

    /** Whether the receiver ended the stream. */
    boolean ended() {
        return ended;
    }

    /** Stops sending and closes the stream; returns how many were sent. */
    long stop() throws InterruptedException {
        ended = true;
        thread.join(TimeUnit.SECONDS.toMillis(5));
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
