package dev.hydrant.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.Test;

class EnvelopeFramesTest {

    private final List<Envelope> envelopes = EncodedEnvelopeTest.everyType().toList();
    private final List<EncodedEnvelope> encoded = envelopes.stream().map(EncodedEnvelope::of).toList();
    private final byte[] batchBytes = EnvelopeBatch.newBuilder().addAllBatch(envelopes).build().toByteArray();

    @Test
    void aBatchIsFramedByteForByteAsProtobufWritesIt_whetherDrainedOrRead() throws IOException {
        InputStream drained = EnvelopeFrames.BATCH.stream(encoded);
        assertThat(drained).isInstanceOf(Drainable.class).isInstanceOf(KnownLength.class);
        assertThat(drained.available()).isEqualTo(batchBytes.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((Drainable) drained).drainTo(out);
        assertThat(out.toByteArray()).isEqualTo(batchBytes);

        assertThat(EnvelopeFrames.BATCH.stream(encoded).readAllBytes()).isEqualTo(batchBytes);
        assertThat(EnvelopeFrames.batchBytes(encoded)).isEqualTo(batchBytes);
        assertThat(EnvelopeFrames.batchSize(encoded)).isEqualTo(batchBytes.length);
    }

    @Test
    void aBatchInAFieldOfAnOuterMessage_isThatMessagesBytes() throws IOException {
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(outer);
        out.writeByteArray(1, batchBytes);
        out.flush();

        InputStream framed = EnvelopeFrames.batchInField(1, encoded);
        assertThat(framed.available()).isEqualTo(outer.size());
        ByteArrayOutputStream drained = new ByteArrayOutputStream();
        ((Drainable) framed).drainTo(drained);

        assertThat(drained.toByteArray()).isEqualTo(outer.toByteArray());
        assertThat(EnvelopeFrames.batchInField(1, encoded).readAllBytes()).isEqualTo(outer.toByteArray());
    }

    @Test
    void aBatchIsReadIntoItsEnvelopesBytes_fromAKnownLengthStreamOrAnother() throws IOException {
        List<EncodedEnvelope> fromKnownLength = EnvelopeFrames.BATCH.parse(EnvelopeFrames.BATCH.stream(encoded));
        List<EncodedEnvelope> fromPlain = EnvelopeFrames.BATCH.parse(new ByteArrayInputStream(batchBytes) {
            // not KnownLength: the reader must not rely on available()
        });

        for (List<EncodedEnvelope> read : List.of(fromKnownLength, fromPlain)) {
            assertThat(read).hasSize(envelopes.size());
            for (int i = 0; i < envelopes.size(); i++) {
                assertThat(read.get(i).toByteArray()).isEqualTo(envelopes.get(i).toByteArray());
            }
        }
    }

    @Test
    void oneEnvelopeIsItsBytes() throws IOException {
        EncodedEnvelope one = encoded.get(0);
        byte[] bytes = EnvelopeFrames.ENVELOPE.stream(one).readAllBytes();

        assertThat(bytes).isEqualTo(envelopes.get(0).toByteArray());
        assertThat(EnvelopeFrames.ENVELOPE.parse(new ByteArrayInputStream(bytes)).sameBytes(one)).isTrue();
    }

    @Test
    void otherFieldsOfABatchAreSkipped() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeUInt64(7, 300);
        out.writeMessage(1, envelopes.get(0));
        out.writeString(8, "later field");
        out.writeFixed64(9, 1);
        out.writeFixed32(10, 1);
        out.writeTag(11, 3); // a group, as an old proto2 sender might add: skipped whole
        out.writeUInt64(1, 5);
        out.writeTag(11, 4);
        out.flush();

        List<EncodedEnvelope> read = EnvelopeFrames.readBatch(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(read).singleElement().satisfies(e -> assertThat(e.envelope()).isEqualTo(envelopes.get(0)));
    }

    @Test
    void aTagVarintLongerThan32BitsIsReadAsProtobufReadsIt_keepingItsLow32Bits() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeUInt64NoTag((7 << 3) | (1L << 35)); // field 7, varint, with a bit above the 32 that protobuf drops
        out.writeUInt64NoTag(300);
        out.writeMessage(1, envelopes.get(0));
        out.flush();
        byte[] batch = bytes.toByteArray();
        ByteArrayOutputStream envelope = new ByteArrayOutputStream();
        envelope.write(envelopes.get(0).toByteArray());
        envelope.write(Arrays.copyOfRange(batch, 0, 8)); // the same over-long tag and its value, inside the envelope

        assertThat(EnvelopeBatch.parseFrom(batch).getBatchList()).containsExactly(envelopes.get(0));
        assertThat(EnvelopeFrames.readBatch(new ByteArrayInputStream(batch)))
                .singleElement().satisfies(e -> assertThat(e.envelope()).isEqualTo(envelopes.get(0)));
        assertThat(Envelope.parseFrom(envelope.toByteArray()).getSourceId()).isEqualTo(envelopes.get(0).getSourceId());
        assertThat(EncodedEnvelope.of(envelope.toByteArray()).sourceId()).isEqualTo(envelopes.get(0).getSourceId());
    }

    @Test
    void aGroupIsSkippedAsProtobufSkipsAnUnknownGroup_inABatchAndInAnEnvelope() throws IOException {
        byte[] envelope = envelopes.get(0).toByteArray();
        // field 1 and field 5 as groups, one nested in the other, with a varint and a string inside
        byte[] group = {0x0B, 0x2B, 0x08, 0x01, 0x12, 0x01, 0x41, 0x2C, 0x0C};
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.write(group);
        batch.write(0x0A);
        batch.write(envelope.length);
        batch.write(envelope);
        byte[] envelopeWithGroup = Arrays.copyOf(envelope, envelope.length + group.length);
        System.arraycopy(group, 0, envelopeWithGroup, envelope.length, group.length);

        assertThat(EnvelopeBatch.parseFrom(batch.toByteArray()).getBatchList()).containsExactly(envelopes.get(0));
        assertThat(EnvelopeFrames.readBatch(new ByteArrayInputStream(batch.toByteArray())))
                .singleElement().satisfies(e -> assertThat(e.envelope()).isEqualTo(envelopes.get(0)));
        assertThat(EnvelopeFrames.readBatch(new ByteArrayInputStream(new byte[] {0x0B, 0x0C}))).isEmpty();
        assertThat(Envelope.parseFrom(envelopeWithGroup).getSourceId()).isEqualTo(envelopes.get(0).getSourceId());
        assertThat(EncodedEnvelope.of(envelopeWithGroup).sourceId()).isEqualTo(envelopes.get(0).getSourceId());
    }

    @Test
    void aBrokenBatchIsRefused() {
        byte[] truncated = Arrays.copyOf(batchBytes, batchBytes.length - 3);
        byte[] badEnvelope = {0x0A, 0x04, 0x12, 0x02, (byte) 0xC3, 0x28};
        byte[] unclosedGroup = {0x0B, 0x08, 0x01};
        byte[] groupClosedByAnother = {0x0B, 0x14};
        byte[] endGroupAlone = {0x0C};

        for (byte[] bytes : List.of(truncated, badEnvelope, unclosedGroup, groupClosedByAnother, endGroupAlone)) {
            assertThatThrownBy(() -> EnvelopeBatch.parseFrom(bytes)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> EnvelopeFrames.BATCH.parse(new ByteArrayInputStream(bytes)))
                    .isInstanceOf(MalformedEnvelopeException.class);
        }
    }
}
