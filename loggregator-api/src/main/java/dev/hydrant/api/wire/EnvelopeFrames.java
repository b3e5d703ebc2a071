package dev.hydrant.api.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * gRPC marshallers that carry envelopes as their bytes: an {@code EnvelopeBatch} is read into one
 * {@link EncodedEnvelope} per element (the message copied once out of the transport's buffers, each envelope's
 * bytes out of that, then validated) and written by framing the envelopes' bytes (tag, length, bytes) straight into the
 * transport's buffers, so a hop that forwards an envelope never encodes it again. On the wire these are the
 * messages of docs/wire.md section 2, byte for byte what protobuf's own marshallers would write for the same
 * envelopes; only {@code EnvelopeBatch}'s unknown fields, if a sender added any, are not carried on.
 */
public final class EnvelopeFrames {

    /** {@code EnvelopeBatch.batch}: field 1, length delimited. */
    private static final int BATCH_TAG = 1 << 3 | WireReader.LENGTH_DELIMITED;

    /** {@code loggregator.v2.EnvelopeBatch} as a list of envelopes. */
    public static final MethodDescriptor.Marshaller<List<EncodedEnvelope>> BATCH = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(List<EncodedEnvelope> batch) {
            return new Framed(batch, true);
        }

        @Override
        public List<EncodedEnvelope> parse(InputStream stream) {
            return readBatch(stream);
        }
    };

    /** {@code loggregator.v2.Envelope}, one per message. */
    public static final MethodDescriptor.Marshaller<EncodedEnvelope> ENVELOPE = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(EncodedEnvelope envelope) {
            return new Framed(List.of(envelope), false);
        }

        @Override
        public EncodedEnvelope parse(InputStream stream) {
            return EncodedEnvelope.of(readMessage(stream));
        }
    };

    private EnvelopeFrames() {
    }

    /** The serialized size of an {@code EnvelopeBatch} of these envelopes. */
    public static long batchSize(List<EncodedEnvelope> batch) {
        long size = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            size += batch.get(i).framedSize();
        }
        return size;
    }

    /**
     * A message whose field {@code field} (length delimited) is an {@code EnvelopeBatch} of these envelopes, and
     * nothing else, framed from their bytes as {@link #BATCH} frames a batch: for a marshaller of such a message.
     */
    public static InputStream batchInField(int field, List<EncodedEnvelope> batch) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("no field number " + field);
        }
        return new Framed(batch, true, field);
    }

    /** The bytes of an {@code EnvelopeBatch} of these envelopes. */
    public static byte[] batchBytes(List<EncodedEnvelope> batch) {
        try (InputStream framed = new Framed(batch, true)) {
            return framed.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an {@code EnvelopeBatch}; fields other than {@code batch} are skipped, as protobuf's parser does. The
     * message is read in one copy, then each envelope's bytes copied out of it; where the strict reading refuses
     * bytes that protobuf's more lenient parser takes, protobuf's reading wins and those envelopes are re-encoded.
     *
     * @throws MalformedEnvelopeException when the batch or one of its envelopes is not valid
     */
    public static List<EncodedEnvelope> readBatch(InputStream stream) {
        byte[] message = readMessage(stream);
        try {
            return readBatch(message);
        } catch (MalformedEnvelopeException refused) {
            EnvelopeBatch lenient;
            try {
                lenient = EnvelopeBatch.parseFrom(message);
            } catch (InvalidProtocolBufferException e) {
                throw refused;
            }
            List<EncodedEnvelope> batch = new ArrayList<>(lenient.getBatchCount());
            for (Envelope envelope : lenient.getBatchList()) {
                batch.add(EncodedEnvelope.of(envelope));
            }
            return batch;
        }
    }

    /** The whole message, in one array sized once when the transport knows the length (gRPC's streams do). */
    static byte[] readMessage(InputStream stream) {
        try {
            if (stream instanceof KnownLength) {
                int length = stream.available();
                byte[] message = new byte[length];
                if (stream.readNBytes(message, 0, length) == length && stream.read() < 0) {
                    return message;
                }
                throw new MalformedEnvelopeException("a message longer or shorter than its stream said", length);
            }
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<EncodedEnvelope> readBatch(byte[] message) {
        WireReader reader = new WireReader(message, 0, message.length);
        List<EncodedEnvelope> batch = new ArrayList<>();
        EncodedEnvelope previous = null;
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag == BATCH_TAG) {
                int length = reader.length();
                int start = reader.position();
                reader.skip(length);
                previous = EncodedEnvelope.of(Arrays.copyOfRange(message, start, start + length), previous);
                batch.add(previous);
            } else {
                reader.skipValue(tag);
            }
        }
        return batch;
    }

    /**
     * A batch (or one envelope) as a stream gRPC drains into its buffers: the frames are written from the
     * envelopes' bytes when gRPC asks, and only a reader that reads byte by byte gets a copy.
     */
    private static final class Framed extends InputStream implements Drainable, KnownLength {
        private final List<EncodedEnvelope> envelopes;
        private final boolean framed;
        private final byte[] prefix;
        private int remaining;
        private ByteArrayInputStream copy;

        Framed(List<EncodedEnvelope> envelopes, boolean framed) {
            this(envelopes, framed, 0);
        }

        /** With {@code field} > 0, the batch is the value of that field (tag and length first) of an outer message. */
        Framed(List<EncodedEnvelope> envelopes, boolean framed, int field) {
            this.envelopes = envelopes;
            this.framed = framed;
            long size = framed ? batchSize(envelopes) : envelopes.get(0).size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a batch of " + size + " bytes cannot be one message");
            }
            this.prefix = field > 0 ? prefix(field, (int) size) : new byte[0];
            this.remaining = prefix.length + (int) size;
        }

        private static byte[] prefix(int field, int length) {
            byte[] bytes = new byte[16];
            int h = varint(bytes, 0, field << 3 | WireReader.LENGTH_DELIMITED);
            h = varint(bytes, h, length);
            return Arrays.copyOf(bytes, h);
        }

        private static int varint(byte[] into, int at, int value) {
            int h = at;
            while ((value & ~0x7F) != 0) {
                into[h++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            into[h++] = (byte) value;
            return h;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            if (copy != null) {
                return (int) copy.transferTo(target);
            }
            int written = remaining;
            target.write(prefix);
            byte[] header = new byte[6];
            for (int i = 0, n = envelopes.size(); i < n; i++) {
                byte[] bytes = envelopes.get(i).bytes();
                if (framed) {
                    header[0] = (byte) BATCH_TAG;
                    target.write(header, 0, varint(header, 1, bytes.length));
                }
                target.write(bytes);
            }
            remaining = 0;
            return written;
        }

        @Override
        public int available() {
            return copy != null ? copy.available() : remaining;
        }

        @Override
        public int read() throws IOException {
            return copied().read();
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            return copied().read(into, offset, length);
        }

        private ByteArrayInputStream copied() throws IOException {
            if (copy == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(remaining, 1));
                drainTo(out);
                copy = new ByteArrayInputStream(out.toByteArray());
            }
            return copy;
        }
    }
}
