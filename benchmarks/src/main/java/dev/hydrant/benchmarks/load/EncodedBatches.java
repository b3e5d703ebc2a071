package dev.hydrant.benchmarks.load;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * One emitter's batches, encoded once and re-stamped per send, so that the harness offers far more than
 * a pipe takes: a batch of {@code n} envelopes is encoded by protobuf once (with a placeholder timestamp),
 * the places of each envelope's {@code timestamp} varint and of its sequence digits are found in those
 * bytes, and each send copies the bytes and writes the send time and the sequence numbers over the
 * placeholders. The result is byte for byte what protobuf makes of the same envelopes: a UNIX time in ns
 * is a 9-byte varint from 2^56 ns (1972) to 2^63 ns (2262), and the sequence is fixed-width ASCII.
 * The bytes go out through {@link #BATCH_SENDER}, {@code Ingress.BatchSender} with a pass-through marshaller.
 */
final class EncodedBatches {

    /** {@code Ingress.BatchSender} sending ready-made {@code EnvelopeBatch} bytes. */
    static final MethodDescriptor<byte[], BatchSenderResponse> BATCH_SENDER =
            MethodDescriptor.<byte[], BatchSenderResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
                    .setFullMethodName(IngressGrpc.getBatchSenderMethod().getFullMethodName())
                    .setRequestMarshaller(new BytesMarshaller())
                    .setResponseMarshaller(ProtoUtils.marshaller(BatchSenderResponse.getDefaultInstance()))
                    .build();

    /** A 9-byte varint placeholder no payload byte ('x', digits, space) can be mistaken for. */
    private static final long PLACEHOLDER = 0x1234_5678_9ABC_DEF0L;
    private static final int VARINT_BYTES = 9;
    private static final long SMALLEST_9_BYTE_VARINT = 1L << 56;

    private final LoadEnvelopes envelopes;
    private final int emitter;
    /** By batch size: the encoded template and, per envelope, where its timestamp and sequence digits are. */
    private final Template[] templates;

    EncodedBatches(LoadEnvelopes envelopes, int emitter, int batchSize) {
        this.envelopes = envelopes;
        this.emitter = emitter;
        this.templates = new Template[batchSize + 1];
    }

    /** The encoded {@code EnvelopeBatch} of envelopes {@code first .. first+count-1}, all stamped {@code stampNanos}. */
    byte[] batch(long first, int count, long stampNanos) {
        if (stampNanos < SMALLEST_9_BYTE_VARINT) {
            return build(first, count, stampNanos).toByteArray();
        }
        Template template = templates[count];
        if (template == null) {
            template = template(count);
            templates[count] = template;
        }
        byte[] bytes = template.bytes.clone();
        for (int i = 0; i < count; i++) {
            writeVarint9(bytes, template.timestampAt[i], stampNanos);
            LoadEnvelopes.writeSequence(bytes, template.sequenceAt[i], first + i);
        }
        return bytes;
    }

    private EnvelopeBatch build(long first, int count, long stampNanos) {
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        for (int i = 0; i < count; i++) {
            batch.addBatch(envelopes.envelope(first + i, stampNanos));
        }
        return batch.build();
    }

    private Template template(int count) {
        byte[] bytes = build(0, count, PLACEHOLDER).toByteArray();
        byte[] placeholder = new byte[VARINT_BYTES];
        writeVarint9(placeholder, 0, PLACEHOLDER);
        int[] timestampAt = new int[count];
        int[] sequenceAt = new int[count];
        int cursor = 0;
        for (int i = 0; i < count; i++) {
            timestampAt[i] = indexOf(bytes, placeholder, cursor);
            byte[] prefix = LoadEnvelopes.prefix(emitter, i).getBytes(StandardCharsets.US_ASCII);
            int prefixAt = indexOf(bytes, prefix, cursor);
            sequenceAt[i] = prefixAt + LoadEnvelopes.SEQUENCE_OFFSET;
            cursor = Math.max(timestampAt[i] + VARINT_BYTES, prefixAt + prefix.length);
        }
        return new Template(bytes, timestampAt, sequenceAt);
    }

    private static int indexOf(byte[] bytes, byte[] wanted, int from) {
        for (int i = from; i <= bytes.length - wanted.length; i++) {
            if (Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new IllegalStateException("the encoded batch does not hold the placeholder it was built with");
    }

    private static void writeVarint9(byte[] target, int offset, long value) {
        for (int k = 0; k < VARINT_BYTES - 1; k++) {
            target[offset + k] = (byte) (((value >>> (7 * k)) & 0x7F) | 0x80);
        }
        target[offset + VARINT_BYTES - 1] = (byte) (value >>> 56);
    }

    private record Template(byte[] bytes, int[] timestampAt, int[] sequenceAt) {
    }

    /** Hands the bytes to gRPC as they are; responses are never bytes, so parsing is only for completeness. */
    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new KnownLengthBytes(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class KnownLengthBytes extends ByteArrayInputStream implements KnownLength {
        KnownLengthBytes(byte[] bytes) {
            super(bytes);
        }
    }
}
