package dev.hydrant.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * Before a cold run, warms the harness's own per-envelope code in this JVM, so that the first window
 * measures the pipe's warm-up rather than the harness's: it encodes batches as an emitter does and
 * decodes and records them as a Doppler consumer does, for a moment, before any component is started.
 * (The Traffic Controller consumers' decoders, v1 frames and JSON, are not warmed.)
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
}
