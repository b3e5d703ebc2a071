package dev.hydrant.it;

import com.google.protobuf.ByteString;
import dev.hydrant.testsupport.grpc.StreamCompletion;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;

/** A Loggregator v2 emitter as any client of the wire would write it: BatchSender, batches of 100. */
final class Emitter {

    private final ManagedChannel channel;
    private final String sourceId;
    private long sequence;

    Emitter(ManagedChannel channel, String sourceId) {
        this.channel = channel;
        this.sourceId = sourceId;
    }

    /** Sends {@code rate} log envelopes a second for {@code duration}; returns how many were sent. */
    long sendPaced(int rate, Duration duration) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<EnvelopeBatch> stream = IngressGrpc.newStub(channel).batchSender(StreamCompletion.into(done));
        int perTick = Math.max(1, rate / 100);
        long tickNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate / perTick);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        for (long next = start; next < end; next += tickNanos) {
            LockSupport.parkNanos(next - System.nanoTime());
            EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
            for (int i = 0; i < perTick; i++) {
                batch.addBatch(log(sequence++));
            }
            stream.onNext(batch.build());
            sent += perTick;
        }
        stream.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        return sent;
    }

    /** Sends {@code count} log envelopes in batches of 100 on one stream. */
    long send(int count) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<EnvelopeBatch> stream = IngressGrpc.newStub(channel).batchSender(StreamCompletion.into(done));
        for (int sent = 0; sent < count; sent += 100) {
            EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
            for (int i = 0; i < Math.min(100, count - sent); i++) {
                batch.addBatch(log(sequence++));
            }
            stream.onNext(batch.build());
        }
        stream.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        return count;
    }

    Envelope log(long seq) {
        return Envelope.newBuilder()
                .setSourceId(sourceId)
                .setInstanceId("0")
                .setTimestamp(System.currentTimeMillis() * 1_000_000L)
                .putTags("source_type", "APP/PROC/WEB")
                .putTags("seq", Long.toString(seq))
                .setLog(Log.newBuilder().setType(Log.Type.OUT)
                        .setPayload(ByteString.copyFromUtf8("line " + seq + " of " + sourceId)))
                .build();
    }
}
