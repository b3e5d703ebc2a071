package dev.hydrant.it.trafficcontroller;

import com.google.protobuf.ByteString;
import dev.hydrant.testsupport.grpc.StreamCompletion;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * An app's log emitter as any client of the v2 wire writes it: BatchSender streams to Metron,
 * batches paced at a steady rate (2,000 lines a second by default: bursts far above that would
 * overrun the 1,000-envelope buffers of a busy two-core test machine, which drop and count, and
 * "everything sent is received" is the point here). Every line has its own timestamp, strictly
 * later than the one before, so "in time order" is one order; the lines sent are kept to compare
 * with what comes out.
 */
public final class LogEmitter {

    private static final AtomicLong CLOCK = new AtomicLong();

    /** Lines a second when none is given. */
    public static final int DEFAULT_RATE = 2_000;

    private final ManagedChannel metron;
    private final int linesPerSecond;
    private final List<Envelope> sent = new ArrayList<>();
    /** When the next batch may go, so that the rate holds across calls too. */
    private long nextBatchNanos;

    public LogEmitter(ManagedChannel metron) {
        this(metron, DEFAULT_RATE);
    }

    public LogEmitter(ManagedChannel metron, int linesPerSecond) {
        this.metron = metron;
        this.linesPerSecond = linesPerSecond;
    }

    /**
     * Sends {@code count} log lines of {@code sourceId}, instance {@code instance}, in batches of
     * {@code batchSize} on one stream at the emitter's rate; each payload is "line N of sourceId"
     * plus {@code padding} characters. Returns the envelopes sent.
     */
    public synchronized List<Envelope> send(String sourceId, String instance, int count, int batchSize, int padding)
            throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<EnvelopeBatch> stream = IngressGrpc.newStub(metron).batchSender(StreamCompletion.into(done));
        String pad = "x".repeat(padding);
        List<Envelope> these = new ArrayList<>(count);
        int base = (int) sent.stream().filter(e -> e.getSourceId().equals(sourceId)).count();
        long nanosPerBatch = TimeUnit.SECONDS.toNanos(1) * batchSize / linesPerSecond;
        for (int i = 0; i < count; i += batchSize) {
            long at = Math.max(System.nanoTime(), nextBatchNanos);
            LockSupport.parkNanos(at - System.nanoTime());
            nextBatchNanos = at + nanosPerBatch;
            EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
            for (int j = i; j < Math.min(count, i + batchSize); j++) {
                Envelope envelope = log(sourceId, instance, "line " + (base + j) + " of " + sourceId + pad);
                batch.addBatch(envelope);
                these.add(envelope);
            }
            stream.onNext(batch.build());
        }
        stream.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        sent.addAll(these);
        return these;
    }

    public List<Envelope> send(String sourceId, int count) throws Exception {
        return send(sourceId, "0", count, 100, 0);
    }

    /** Every envelope sent so far, in order. */
    public synchronized List<Envelope> sent() {
        return List.copyOf(sent);
    }

    private static Envelope log(String sourceId, String instance, String text) {
        return Envelope.newBuilder()
                .setSourceId(sourceId)
                .setInstanceId(instance)
                .setTimestamp(nextTimestamp())
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setType(Log.Type.OUT).setPayload(ByteString.copyFromUtf8(text)))
                .build();
    }

    /** Now in UNIX nanoseconds, but always later than the last one handed out. */
    private static long nextTimestamp() {
        long now = System.currentTimeMillis() * 1_000_000L;
        return CLOCK.updateAndGet(last -> Math.max(now, last + 1_000));
    }
}
