package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

class LoadEnvelopesTest {

    @Test
    void envelopeCarriesItsEmitterSequenceAndTimestampInAPayloadOfTheAskedSize() {
        Envelope envelope = new LoadEnvelopes(LoadEnvelopes.SOURCE_ID, 7, 120).envelope(123_456_789L, 42L);

        assertThat(envelope.getSourceId()).isEqualTo(LoadEnvelopes.SOURCE_ID);
        assertThat(envelope.getTimestamp()).isEqualTo(42L);
        assertThat(envelope.getLog().getPayload().size()).isEqualTo(120);
        assertThat(envelope.getLog().getPayload().toStringUtf8()).startsWith("0007 000123456789 xxx");
        assertThat(LoadEnvelopes.emitterOf(envelope.getLog().getPayload())).isEqualTo(7);
        assertThat(LoadEnvelopes.sequenceOf(envelope.getLog().getPayload())).isEqualTo(123_456_789L);
    }

    @Test
    void foreignPayloadsAreNotMistakenForTheHarnesss() {
        Envelope probe = LoadEnvelopes.probe(1L);

        assertThat(LoadEnvelopes.emitterOf(probe.getLog().getPayload())).isEqualTo(-1);
        assertThat(LoadEnvelopes.sequenceOf(probe.getLog().getPayload())).isEqualTo(-1);
    }
}
