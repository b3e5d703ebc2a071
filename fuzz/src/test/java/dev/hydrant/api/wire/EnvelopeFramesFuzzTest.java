package dev.hydrant.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * {@link EnvelopeFrames} reads any bytes as an {@code EnvelopeBatch} (docs/wire.md section 2) exactly when
 * protobuf's parser does, into the same envelopes, and frames them back into bytes that parse to the same batch.
 */
class EnvelopeFramesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyBytesAreABatchExactlyWhenProtobufSaysSo_andFrameBackToTheSameBatch(byte[] bytes) {
        EnvelopeBatch parsed;
        try {
            parsed = EnvelopeBatch.parseFrom(bytes);
        } catch (InvalidProtocolBufferException refused) {
            parsed = null;
        }
        List<EncodedEnvelope> read;
        try {
            read = EnvelopeFrames.BATCH.parse(new ByteArrayInputStream(bytes));
        } catch (MalformedEnvelopeException refused) {
            read = null;
        }
        assertThat(read == null).as("refused by the byte path exactly when protobuf refuses").isEqualTo(parsed == null);
        if (parsed == null) {
            return;
        }
        assertThat(read.stream().map(EncodedEnvelope::envelope).toList()).isEqualTo(parsed.getBatchList());
        try {
            assertThat(EnvelopeBatch.parseFrom(EnvelopeFrames.batchBytes(read)).getBatchList())
                    .isEqualTo(parsed.getBatchList());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("framed bytes do not parse", e);
        }
    }
}
