package dev.hydrant.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncodedEnvelopeTest {

    static Stream<Envelope> everyType() {
        Envelope.Builder base = Envelope.newBuilder().setSourceId("app-1").setInstanceId("3")
                .setTimestamp(1_795_852_820_123_456_789L).putTags("deployment", "cf")
                .putDeprecatedTags("origin", Value.newBuilder().setText("rep").build())
                .putDeprecatedTags("index", Value.newBuilder().setInteger(7).build())
                .putDeprecatedTags("ratio", Value.newBuilder().setDecimal(0.5).build());
        return Stream.of(
                base.clone().setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("héllo ✓"))
                        .setType(Log.Type.ERR)).build(),
                base.clone().setCounter(Counter.newBuilder().setName("requests").setDelta(2).setTotal(40)).build(),
                base.clone().setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(12.5).build())
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1e9).build())).build(),
                base.clone().setTimer(Timer.newBuilder().setName("http").setStart(1).setStop(9)).build(),
                base.clone().setEvent(Event.newBuilder().setTitle("crash").setBody("exit 1")).build(),
                Envelope.newBuilder().build(),
                Envelope.newBuilder().setSourceId("ünïcode-app").setLog(Log.getDefaultInstance()).build());
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void readsTheRoutingFieldsAsProtobufDoes_andKeepsTheBytes(Envelope envelope) {
        byte[] bytes = envelope.toByteArray();

        EncodedEnvelope encoded = EncodedEnvelope.of(bytes);

        assertThat(encoded.sourceId()).isEqualTo(envelope.getSourceId());
        assertThat(encoded.type()).isEqualTo(envelope.getMessageCase());
        assertThat(encoded.timestamp()).isEqualTo(envelope.getTimestamp());
        assertThat(encoded.counterName()).isEqualTo(envelope.getCounter().getName());
        assertThat(encoded.gaugeNames()).containsExactlyInAnyOrderElementsOf(envelope.getGauge().getMetricsMap().keySet());
        assertThat(encoded.tag("deployment")).isEqualTo(envelope.getTagsMap().get("deployment"));
        assertThat(encoded.tag("absent")).isNull();
        assertThat(encoded.toByteArray()).isEqualTo(bytes);
        assertThat(encoded.size()).isEqualTo(bytes.length);
        assertThat(encoded.framedSize()).isEqualTo(
                CodedOutputStream.computeMessageSize(1, envelope));
        assertThat(encoded.envelope()).isEqualTo(envelope);
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void readsTheInstanceIdAndALogsPayloadSizeAsProtobufDoes(Envelope envelope) {
        EncodedEnvelope encoded = EncodedEnvelope.of(envelope.toByteArray());

        assertThat(encoded.instanceId()).isEqualTo(envelope.getInstanceId());
        assertThat(encoded.logPayloadSize()).isEqualTo(envelope.getLog().getPayload().size());
    }

    @Test
    void unknownFieldsAreKeptInTheBytes() throws IOException {
        byte[] known = Envelope.newBuilder().setSourceId("a").setLog(Log.getDefaultInstance()).build().toByteArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(known);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(99, "from a newer emitter");
        out.writeUInt64(2, 5); // source_id's number with another wire type: an unknown field to protobuf
        out.writeTag(12, 3); // a group holding a field of the log's number: skipped whole
        out.writeString(4, "not a log");
        out.writeTag(12, 4);
        out.flush();

        EncodedEnvelope encoded = EncodedEnvelope.of(bytes.toByteArray());

        assertThat(encoded.sourceId()).isEqualTo("a");
        assertThat(encoded.toByteArray()).isEqualTo(bytes.toByteArray());
        assertThat(encoded.envelope().getUnknownFields().hasField(99)).isTrue();
    }

    @Test
    void theLastSourceIdAndATwiceGivenOneofAreReadAsProtobufReadsThem() throws IOException {
        Envelope first = Envelope.newBuilder().setSourceId("first")
                .setCounter(Counter.newBuilder().setName("a").setDelta(1)).build();
        Envelope second = Envelope.newBuilder().setSourceId("second")
                .setCounter(Counter.newBuilder().setTotal(9)).build();
        byte[] both = concat(first.toByteArray(), second.toByteArray());
        Envelope merged = Envelope.parseFrom(both);

        EncodedEnvelope encoded = EncodedEnvelope.of(both);

        assertThat(encoded.sourceId()).isEqualTo(merged.getSourceId()).isEqualTo("second");
        assertThat(encoded.counterName()).isEqualTo(merged.getCounter().getName()).isEqualTo("a");
        assertThat(encoded.type()).isEqualTo(Envelope.MessageCase.COUNTER);
        assertThat(encoded.toByteArray()).isEqualTo(both);
    }

    @Test
    void bytesProtobufRefuses_areRefused() {
        byte[] log = Envelope.newBuilder().setSourceId("app").setLog(Log.newBuilder()
                .setPayload(ByteString.copyFromUtf8("x"))).build().toByteArray();
        List<byte[]> broken = List.of(
                Arrays.copyOf(log, log.length - 1),                     // truncated
                new byte[] {0x12, 0x02, (byte) 0xC3, 0x28},             // source_id not UTF-8
                new byte[] {0x4A, 0x06, 0x0A, 0x01, 'k', 0x12, 0x01, (byte) 0xFF}, // tag value not UTF-8
                new byte[] {0x32, 0x07, 0x0A, 0x05, 0x0A, 0x03, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // gauge key: a surrogate
                new byte[] {0x08, (byte) 0x80, (byte) 0x80},            // varint cut off
                new byte[] {0x22, 0x05, 0x0A, 0x09, 'a', 'b', 'c'},     // payload longer than its log
                new byte[] {0x0C},                                      // a group's end without its start
                new byte[] {0x22, 0x02, 0x0B, 0x0C, 0x0B},             // a group running past its log
                new byte[] {0x0B, 0x10, 0x01, 0x14});                   // a group ended as another
        for (byte[] bytes : broken) {
            assertThatThrownBy(() -> Envelope.parseFrom(bytes)).isInstanceOf(InvalidProtocolBufferException.class);
            assertThatThrownBy(() -> EncodedEnvelope.of(bytes)).as(Arrays.toString(bytes))
                    .isInstanceOf(MalformedEnvelopeException.class);
        }
    }

    @Test
    void tagsAreAddedWhereAbsent_anEnvelopesOwnTagWins() throws InvalidProtocolBufferException {
        Envelope envelope = Envelope.newBuilder().setSourceId("app").putTags("job", "own")
                .setLog(Log.getDefaultInstance()).build();
        Map<String, String> host = new LinkedHashMap<>();
        host.put("job", "host-job");
        host.put("deployment", "cf");
        host.put("blank", "");

        EncodedEnvelope tagged = EncodedEnvelope.of(envelope.toByteArray()).withTagsIfAbsent(host);

        Envelope parsed = Envelope.parseFrom(tagged.toByteArray());
        assertThat(parsed.getTagsMap()).containsExactlyInAnyOrderEntriesOf(Map.of("job", "own", "deployment", "cf"));
        assertThat(parsed.getSourceId()).isEqualTo("app");
        assertThat(tagged.tag("deployment")).isEqualTo("cf");
        EncodedEnvelope again = tagged.withTagsIfAbsent(host);
        assertThat(again).isSameAs(tagged);
    }

    @Test
    void aBatchFromOneSourceSharesItsSourceIdString() {
        Envelope envelope = Envelope.newBuilder().setSourceId("app").setLog(Log.getDefaultInstance()).build();
        EncodedEnvelope first = EncodedEnvelope.of(envelope.toByteArray());

        EncodedEnvelope second = EncodedEnvelope.of(envelope.toByteArray(), first);

        assertThat(second.sourceId()).isSameAs(first.sourceId());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void hasDeprecatedTags_isReadFromTheBytes() {
        Envelope plain = Envelope.newBuilder().setSourceId("app").putTags("a", "b")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("x"))).build();
        Envelope legacy = plain.toBuilder().putDeprecatedTags("n", Value.newBuilder().setInteger(1).build()).build();
        assertThat(EncodedEnvelope.of(plain).hasDeprecatedTags()).isFalse();
        assertThat(EncodedEnvelope.of(legacy).hasDeprecatedTags()).isTrue();
    }

    @Test
    void aLengthWhoseTenByteVarintReadsAsNegative_isRefusedAsMalformed() {
        byte[] negativeLength = {0x62, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA,
            (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, 0x2D, 0x00};
        assertThatThrownBy(() -> EncodedEnvelope.of(negativeLength)).isInstanceOf(MalformedEnvelopeException.class);
        assertThatThrownBy(() -> Envelope.parseFrom(negativeLength)).isInstanceOf(InvalidProtocolBufferException.class);
        byte[] batch = {0x0A, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA,
            (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA, 0x2D, 0x00};
        assertThatThrownBy(() -> EnvelopeFrames.readBatch(new java.io.ByteArrayInputStream(batch)))
                .isInstanceOf(MalformedEnvelopeException.class);
    }
}
