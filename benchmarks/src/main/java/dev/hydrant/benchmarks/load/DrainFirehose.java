package dev.hydrant.benchmarks.load;

import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * The firehose side of a fake Traffic Controller for the drain benchmark: {@code Egress/BatchedReceiver} over
 * mutual TLS, as the Traffic Controller serves it, streaming pre-built batches of log envelopes (source ids
 * {@code app-0 .. app-N-1} in turn) to every reader, paced at {@link #rate(long)} envelopes per second (a token
 * bucket with 100 ms of burst) or, at rate 0, whenever gRPC flow control lets it. Nothing is sent while paused.
 */
final class DrainFirehose implements AutoCloseable {

    static final int BATCH = 100;

    private final Server server;
    private final List<EnvelopeBatch> batches;
    private final AtomicLong sent = new AtomicLong();
    private volatile long rate;
    private volatile boolean paused = true;
    private volatile boolean closed;

    DrainFirehose(TlsFiles tls, int apps, int payloadBytes) throws IOException {
        this.batches = batches(apps, payloadBytes);
        this.server = GrpcTransport.server("127.0.0.1", 0, tls, "drain-bench.firehose")
                .addService(new EgressGrpc.EgressImplBase() {
                    @Override
                    public void batchedReceiver(EgressBatchRequest request, StreamObserver<EnvelopeBatch> observer) {
                        // an empty batch at once sends the headers: the reader knows its stream was accepted
                        observer.onNext(EnvelopeBatch.getDefaultInstance());
                        Thread sender = new Thread(() -> send((ServerCallStreamObserver<EnvelopeBatch>) observer),
                                "firehose-" + request.getShardId());
                        sender.setDaemon(true);
                        sender.start();
                    }
                })
                .build()
                .start();
    }

    int port() {
        return server.getPort();
    }

    /** Envelopes per second from now on; 0 is as fast as the reader takes them. */
    void rate(long perSecond) {
        this.rate = perSecond;
        this.paused = false;
    }

    void pause() {
        this.paused = true;
    }

    /** Envelopes handed to gRPC so far. */
    long sent() {
        return sent.get();
    }

    private void send(ServerCallStreamObserver<EnvelopeBatch> call) {
        double tokens = 0;
        long last = System.nanoTime();
        int next = 0;
        while (!closed && !call.isCancelled()) {
            long now = System.nanoTime();
            long perSecond = rate;
            if (paused) {
                tokens = 0;
            } else if (perSecond > 0) {
                tokens = Math.min(tokens + (now - last) * perSecond / 1e9, Math.max(BATCH, perSecond / 10.0));
            }
            last = now;
            boolean due = !paused && (perSecond == 0 || tokens >= BATCH);
            if (due && call.isReady()) {
                call.onNext(batches.get(next));
                next = (next + 1) % batches.size();
                sent.addAndGet(BATCH);
                tokens -= BATCH;
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    /** Enough batches that every app appears in each round, with the tags a Cloud Foundry app log carries. */
    private static List<EnvelopeBatch> batches(int apps, int payloadBytes) {
        byte[] text = new byte[payloadBytes];
        Arrays.fill(text, (byte) 'x');
        ByteString payload = ByteString.copyFrom(text);
        int envelopes = Math.max(BATCH, (apps + BATCH - 1) / BATCH * BATCH);
        long now = System.currentTimeMillis() * 1_000_000L;
        List<EnvelopeBatch> batches = new ArrayList<>();
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        for (int i = 0; i < envelopes; i++) {
            String app = "app-" + (i % apps);
            batch.addBatch(Envelope.newBuilder()
                    .setSourceId(app)
                    .setInstanceId(Integer.toString(i % 4))
                    .setTimestamp(now + i)
                    .putTags("source_type", "APP/PROC/WEB")
                    .putTags("app_name", app)
                    .putTags("space_name", "bench-space")
                    .putTags("organization_name", "bench-org")
                    .putTags("deployment", "cf")
                    .setLog(Log.newBuilder().setPayload(payload).setType(Log.Type.OUT)));
            if (batch.getBatchCount() == BATCH) {
                batches.add(batch.build());
                batch = EnvelopeBatch.newBuilder();
            }
        }
        return batches;
    }

    @Override
    public void close() {
        closed = true;
        GrpcTransport.shutdown(server, 1_000);
    }
}
