package dev.hydrant.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * Before a cold run, warms the harness's own per-envelope code in this JVM, so that the first window
 * measures the pipe's warm-up rather than the harness's: it encodes batches as an emitter does and
 * decodes and records them as a Doppler consumer does, for a moment, and opens a mutual-TLS gRPC channel
 * (to a port where nothing listens) so that gRPC, Netty and TLS are loaded, before any component is
 * started. (The Traffic Controller consumers' decoders, v1 frames and JSON, are not warmed.)
 */
final class HarnessWarmup {

    private static final long MAX_ENVELOPES = 3_000_000;

    private HarnessWarmup() {
    }

    /** Encodes, decodes and records envelopes for {@code millis} ms (at most 3 million); returns how many. */
    static long run(int payloadBytes, int batchSize, long millis) {
        HarnessClock clock = new HarnessClock();
        EncodedBatches batches = new EncodedBatches(
                new LoadEnvelopes(LoadEnvelopes.WARMUP_SOURCE_ID, 0, payloadBytes), 0, batchSize);
        Receipts receipts = new Receipts(1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long sequence = 0;
        while (System.nanoTime() < deadline && sequence < MAX_ENVELOPES) {
            try {
                EnvelopeBatch batch = EnvelopeBatch.parseFrom(batches.batch(sequence, batchSize, clock.nowEpochNanos()));
                for (Envelope envelope : batch.getBatchList()) {
                    receipts.run(envelope.getLog().getPayload(), envelope.getTimestamp(), clock.nowEpochNanos());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("the harness cannot read its own batches", e);
            }
            receipts.publish();
            sequence += batchSize;
        }
        return receipts.received();
    }

    /** Opens and closes a mutual-TLS gRPC channel with a throwaway certificate written into {@code directory}. */
    static void loadGrpc(Path directory) throws InterruptedException {
        TlsFiles tls = CertificateAuthority.create("load-harness-warmup").issueFiles(directory, HarnessPki.CLIENT_NAME);
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:1", "doppler", tls, "load-harness.tls").build();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (channel.getState(true) != ConnectivityState.TRANSIENT_FAILURE && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } finally {
            GrpcTransport.shutdown(channel, 2_000);
        }
    }
}
