package dev.hydrant.api.wire;

/**
 * Bytes that are not a valid encoding of a {@code loggregator.v2.Envelope} (or of a batch of them): a length
 * past the end, a broken varint, a string that is not UTF-8, a group wire type. Says where, never what the
 * bytes held.
 */
public final class MalformedEnvelopeException extends IllegalArgumentException {

    MalformedEnvelopeException(String reason, int offset) {
        super(reason + " at byte " + offset);
    }
}
