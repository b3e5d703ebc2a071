package dev.hydrant.benchmarks.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * The log envelopes the harness sends and how it recognises them again.
 *
 * <p>Each payload is a readable log line of exactly {@code payloadBytes} bytes that starts with
 * the emitter's number and the envelope's sequence number at fixed positions,
 * {@code "EEEE SSSSSSSSSSSS "}, padded with {@code 'x'}. The send time is the envelope's
 * {@code timestamp} (UNIX ns).
 */
final class LoadEnvelopes {

    /** source_id of every measured envelope; anything else that arrives is counted as foreign. */
    static final String SOURCE_ID = "load-harness";
    /** source_id of the envelopes that prove the path is open before the measured run starts. */
    static final String PROBE_SOURCE_ID = "load-harness-probe";
    /** source_id of the warm-up envelopes, sent like the measured ones but never counted. */
    static final String WARMUP_SOURCE_ID = "load-harness-warmup";

    /** Digits of the emitter number, then a space, then the sequence number digits and a space. */
    private static final int EMITTER_DIGITS = 4;
    private static final int SEQUENCE_DIGITS = 12;
    /** Where the sequence number's digits start in a payload. */
    static final int SEQUENCE_OFFSET = EMITTER_DIGITS + 1;
    /** The smallest payload that holds the prefix. */
    static final int MIN_PAYLOAD_BYTES = SEQUENCE_OFFSET + SEQUENCE_DIGITS + 1;

    private final byte[] template;
    private final Envelope prototype;

    LoadEnvelopes(String sourceId, int emitter, int payloadBytes) {
        if (payloadBytes < MIN_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload must be at least " + MIN_PAYLOAD_BYTES + " bytes");
        }
        this.template = new byte[payloadBytes];
        Arrays.fill(template, (byte) 'x');
        writeDigits(template, 0, EMITTER_DIGITS, emitter);
        template[EMITTER_DIGITS] = ' ';
        template[SEQUENCE_OFFSET + SEQUENCE_DIGITS] = ' ';
        this.prototype = Envelope.newBuilder()
                .setSourceId(sourceId)
                .setInstanceId(Integer.toString(emitter))
                .putTags("source_type", "APP/PROC/WEB")
                .build();
    }

    /** A log envelope stamped with {@code timestampNanos} and carrying {@code sequence}. */
    Envelope envelope(long sequence, long timestampNanos) {
        byte[] payload = template.clone();
        writeDigits(payload, SEQUENCE_OFFSET, SEQUENCE_DIGITS, sequence);
        return prototype.toBuilder()
                .setTimestamp(timestampNanos)
                .setLog(Log.newBuilder().setPayload(UnsafeByteOperations.unsafeWrap(payload)).setType(Log.Type.OUT))
                .build();
    }

    /** The start of the payload of {@code sequence} from {@code emitter}: {@code "EEEE SSSSSSSSSSSS "}. */
    static String prefix(int emitter, long sequence) {
        byte[] prefix = new byte[MIN_PAYLOAD_BYTES];
        writeDigits(prefix, 0, EMITTER_DIGITS, emitter);
        prefix[EMITTER_DIGITS] = ' ';
        writeDigits(prefix, SEQUENCE_OFFSET, SEQUENCE_DIGITS, sequence);
        prefix[MIN_PAYLOAD_BYTES - 1] = ' ';
        return new String(prefix, StandardCharsets.US_ASCII);
    }

    /** Writes the sequence number's digits at {@code offset} (where a payload's sequence digits are). */
    static void writeSequence(byte[] target, int offset, long sequence) {
        writeDigits(target, offset, SEQUENCE_DIGITS, sequence);
    }

    /** A probe envelope: same shape, a different source id, never counted. */
    static Envelope probe(long timestampNanos) {
        return Envelope.newBuilder()
                .setSourceId(PROBE_SOURCE_ID)
                .setTimestamp(timestampNanos)
                .setLog(Log.newBuilder().setPayload(ByteString.copyFrom("probe", StandardCharsets.US_ASCII)))
                .build();
    }

    /** The emitter number in a payload written by {@link #envelope}, or -1 if it holds none. */
    static int emitterOf(ByteString payload) {
        return payload.size() < MIN_PAYLOAD_BYTES ? -1 : (int) readDigits(payload, 0, EMITTER_DIGITS);
    }

    /** The sequence number in a payload written by {@link #envelope}, or -1 if it holds none. */
    static long sequenceOf(ByteString payload) {
        return payload.size() < MIN_PAYLOAD_BYTES ? -1 : readDigits(payload, SEQUENCE_OFFSET, SEQUENCE_DIGITS);
    }

    private static void writeDigits(byte[] target, int offset, int digits, long value) {
        long rest = value;
        for (int i = offset + digits - 1; i >= offset; i--) {
            target[i] = (byte) ('0' + (rest % 10));
            rest /= 10;
        }
    }

    private static long readDigits(ByteString source, int offset, int digits) {
        long value = 0;
        for (int i = offset; i < offset + digits; i++) {
            int digit = source.byteAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
