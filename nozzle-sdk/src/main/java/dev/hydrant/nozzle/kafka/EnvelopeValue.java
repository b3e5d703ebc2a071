package dev.hydrant.nozzle.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import org.cloudfoundry.loggregator.v2.Envelope;

/** A record's value as an envelope: its protobuf bytes, as {@code Envelope.toByteArray()} writes them. */
final class EnvelopeValue {

    private EnvelopeValue() {
    }

    /**
     * The envelope, or null when the value is not one: absent (a tombstone), not protobuf, or protobuf without
     * a log, counter, gauge, timer or event (arbitrary bytes can parse as an envelope of unknown fields).
     */
    static Envelope parse(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            Envelope envelope = Envelope.parseFrom(value);
            return envelope.getMessageCase() == Envelope.MessageCase.MESSAGE_NOT_SET ? null : envelope;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
