package dev.hydrant.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The byte path reads envelopes as protobuf does (docs/wire.md section 2): for any bytes, {@link EncodedEnvelope}
 * accepts exactly what protobuf's parser accepts, reads the same routing fields from it, keeps the bytes (or, where
 * only protobuf's lenient reading takes them, their canonical encoding), and adds host tags as protobuf would read
 * them.
 */
class EncodedEnvelopeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyBytesAreAnEnvelopeExactlyWhenProtobufSaysSo_withTheSameRoutingFields(byte[] bytes) {
        Envelope parsed;
        try {
            parsed = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException refused) {
            parsed = null;
        }
        EncodedEnvelope encoded;
        try {
            encoded = EncodedEnvelope.of(bytes.clone());
        } catch (MalformedEnvelopeException refused) {
            encoded = null;
        }
        assertThat(encoded == null).as("refused by the byte path exactly when protobuf refuses").isEqualTo(parsed == null);
        if (parsed == null) {
            return;
        }
        assertThat(encoded.sourceId()).isEqualTo(parsed.getSourceId());
        assertThat(encoded.type()).isEqualTo(parsed.getMessageCase());
        assertThat(encoded.timestamp()).isEqualTo(parsed.getTimestamp());
        assertThat(encoded.counterName()).isEqualTo(parsed.hasCounter() ? parsed.getCounter().getName() : "");
        assertThat(encoded.gaugeNames()).containsExactlyInAnyOrderElementsOf(
                parsed.hasGauge() ? parsed.getGauge().getMetricsMap().keySet() : List.of());
        for (String key : parsed.getTagsMap().keySet()) {
            assertThat(encoded.tag(key)).isEqualTo(parsed.getTagsMap().get(key));
        }
        // the bytes as sent; only what just protobuf's lenient parser takes is re-encoded, canonically
        assertThat(encoded.toByteArray()).isIn(bytes, parsed.toByteArray());
        assertThat(encoded.envelope()).isEqualTo(parsed);

        EncodedEnvelope tagged = encoded.withTagsIfAbsent(Map.of("deployment", "fuzz", "job", "metron"));
        Map<String, String> expected = new HashMap<>(Map.of("deployment", "fuzz", "job", "metron"));
        expected.putAll(parsed.getTagsMap());
        assertThat(tagged.envelope().getTagsMap()).isEqualTo(expected);
    }
}
