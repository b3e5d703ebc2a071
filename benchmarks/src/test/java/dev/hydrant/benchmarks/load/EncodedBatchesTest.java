package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.Test;

class EncodedBatchesTest {

    private static final long NOW_NANOS = 1_795_881_186_316_000_123L;

    @Test
    void reStampedBatchIsByteForByteWhatProtobufMakesOfTheSameEnvelopes() {
        LoadEnvelopes envelopes = new LoadEnvelopes(LoadEnvelopes.SOURCE_ID, 7, 120);
        EncodedBatches batches = new EncodedBatches(envelopes, 7, 100);

        for (long[] send : new long[][] {{0, 100, NOW_NANOS}, {100, 100, NOW_NANOS + 999}, {123_456_789, 37, NOW_NANOS}}) {
            byte[] bytes = batches.batch(send[0], (int) send[1], send[2]);

            EnvelopeBatch.Builder expected = EnvelopeBatch.newBuilder();
            for (int i = 0; i < send[1]; i++) {
                expected.addBatch(envelopes.envelope(send[0] + i, send[2]));
            }
            assertThat(bytes).isEqualTo(expected.build().toByteArray());
        }
    }

    @Test
    void reStampedEnvelopesCarryTheirEmitterSequenceAndTimestamp() throws Exception {
        EncodedBatches batches = new EncodedBatches(new LoadEnvelopes(LoadEnvelopes.SOURCE_ID, 3, 64), 3, 10);

        EnvelopeBatch batch = EnvelopeBatch.parseFrom(batches.batch(500, 10, NOW_NANOS));

        assertThat(batch.getBatchCount()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(batch.getBatch(i).getTimestamp()).isEqualTo(NOW_NANOS);
            assertThat(LoadEnvelopes.emitterOf(batch.getBatch(i).getLog().getPayload())).isEqualTo(3);
            assertThat(LoadEnvelopes.sequenceOf(batch.getBatch(i).getLog().getPayload())).isEqualTo(500 + i);
        }
    }

    @Test
    void aTimestampTooSmallForNineVarintBytesIsEncodedByProtobuf() throws Exception {
        EncodedBatches batches = new EncodedBatches(new LoadEnvelopes(LoadEnvelopes.SOURCE_ID, 0, 120), 0, 5);

        EnvelopeBatch batch = EnvelopeBatch.parseFrom(batches.batch(0, 5, 42));

        assertThat(batch.getBatch(4).getTimestamp()).isEqualTo(42);
        assertThat(LoadEnvelopes.sequenceOf(batch.getBatch(4).getLog().getPayload())).isEqualTo(4);
    }
}
