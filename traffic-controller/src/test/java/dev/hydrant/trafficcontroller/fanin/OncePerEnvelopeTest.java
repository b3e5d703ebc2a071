package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.counter;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

/**
 * Clients of one envelope hold equal bytes, each their own copy (one Doppler stream per client): the
 * conversion is made for the first and found again for the others by equal bytes, never for different
 * bytes that share the routing fields it is indexed by.
 */
class OncePerEnvelopeTest {

    /** Each client's copy of the envelope, as its own Doppler stream delivers it. */
    private static EncodedEnvelope copy(Envelope envelope) {
        return EncodedEnvelope.of(envelope.toByteArray());
    }

    @Test
    void clientsOfTheSameEnvelope_shareOneConversion() {
        List<EncodedEnvelope> converted = new ArrayList<>();
        OncePerEnvelope<String> once = new OncePerEnvelope<>(e -> {
            converted.add(e);
            return e.sourceId() + "@" + e.timestamp();
        });
        List<Envelope> envelopes = List.of(log("app", "one", 1), log("app", "two", 2), counter("app", "c", 1, 3));

        for (int client = 0; client < 5; client++) {
            for (Envelope envelope : envelopes) {
                assertThat(once.apply(copy(envelope))).isEqualTo("app@" + envelope.getTimestamp());
            }
        }

        assertThat(once.conversions()).isEqualTo(envelopes.size());
        assertThat(converted).hasSize(envelopes.size());
    }

    @Test
    void envelopesAlikeInSourceTimeTypeAndSize_butNotInBytes_eachGetTheirOwn() {
        OncePerEnvelope<String> once = new OncePerEnvelope<>(e -> e.envelope().getLog().getPayload().toStringUtf8());

        assertThat(once.apply(copy(log("app", "aaaa", 7)))).isEqualTo("aaaa");
        assertThat(once.apply(copy(log("app", "bbbb", 7)))).isEqualTo("bbbb");
        assertThat(once.apply(copy(log("app", "aaaa", 7)))).isEqualTo("aaaa");
        assertThat(once.conversions()).isEqualTo(3);
    }

    @Test
    void largeEnvelopes_areConvertedForEachClient_andNotKept() {
        OncePerEnvelope<Integer> once = new OncePerEnvelope<>(EncodedEnvelope::size);
        Envelope large = log("app", "x".repeat(OncePerEnvelope.MAX_SHARED_BYTES), 1);

        once.apply(copy(large));
        once.apply(copy(large));

        assertThat(once.conversions()).isEqualTo(2);
        assertThat(ByteString.copyFrom(copy(large).toByteArray()).size()).isGreaterThan(OncePerEnvelope.MAX_SHARED_BYTES);
    }
}
