package dev.hydrant.api.wire;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * gRPC marshallers that carry envelopes as their bytes: an {@code EnvelopeBatch} is read into one
 * {@link EncodedEnvelope} per element (each envelope's bytes copied once out of the transport's buffers,
 * then validated) and written by framing the envelopes' bytes (tag, length, bytes) straight into the
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
            try {
                return EncodedEnvelope.of(stream.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

    /** The bytes of an {@code EnvelopeBatch} of these envelopes. */
    public static byte[] batchBytes(List<EncodedEnvelope> batch) {
        try (InputStream framed = new Framed(batch, true)) {
            return framed.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an {@code EnvelopeBatch}; fields other than {@code batch} are skipped, as protobuf's parser does.
     *
     * @throws MalformedEnvelopeException when the batch or one of its envelopes is not valid
     */
    public static List<EncodedEnvelope> readBatch(InputStream stream) {
        try {
            StreamReader reader = new StreamReader(stream);
            List<EncodedEnvelope> batch = new ArrayList<>();
            EncodedEnvelope previous = null;
            for (int tag = reader.tag(); tag != 0; tag = reader.tag()) {
                if (tag == BATCH_TAG) {
                    previous = EncodedEnvelope.of(reader.bytes(), previous);
                    batch.add(previous);
                } else {
                    reader.skipValue(tag);
                }
            }
            return batch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads wire format straight from a stream: one envelope's bytes in one copy. */
    private static final class StreamReader {
        private final InputStream in;
        private final boolean knownLength;
        private long position;

        StreamReader(InputStream in) {
            this.in = in;
            this.knownLength = in instanceof KnownLength;
        }

        /** The next tag, or 0 at the end of the stream; an end-group tag here closes no group and is refused. */
        int tag() throws IOException {
            int tag = anyTag();
            if ((tag & 7) == WireReader.END_GROUP) {
                throw new MalformedEnvelopeException("end-group tag outside a group", (int) position);
            }
            return tag;
        }

        private int anyTag() throws IOException {
            int first = in.read();
            if (first < 0) {
                return 0;
            }
            position++;
            int tag = (int) varint(first); // as protobuf's parser: up to 10 bytes, the low 32 bits kept
            if ((tag >>> 3) == 0 || (tag & 7) > WireReader.FIXED32) {
                throw new MalformedEnvelopeException("invalid field tag in a batch", (int) position);
            }
            return tag;
        }

        /** Skips a group's fields up to the end-group tag of its field, as protobuf skips an unknown group. */
        private void skipGroup(int field, int depth) throws IOException {
            if (depth > WireReader.MAX_GROUP_DEPTH) {
                throw new MalformedEnvelopeException("groups nested too deep", (int) position);
            }
            while (true) {
                int tag = anyTag();
                if (tag == 0) {
                    throw new MalformedEnvelopeException("truncated group", (int) position);
                }
                if ((tag & 7) == WireReader.END_GROUP) {
                    if ((tag >>> 3) != field) {
                        throw new MalformedEnvelopeException("end-group tag of another field", (int) position);
                    }
                    return;
                }
                if ((tag & 7) == WireReader.START_GROUP) {
                    skipGroup(tag >>> 3, depth + 1);
                } else {
                    skipValue(tag);
                }
            }
        }

        private long varint(int first) throws IOException {
            long value = first & 0x7F;
            int b = first;
            for (int shift = 7; b >= 0x80; shift += 7) {
                if (shift >= 64) {
                    throw new MalformedEnvelopeException("varint longer than 10 bytes", (int) position);
                }
                b = in.read();
                if (b < 0) {
                    throw new MalformedEnvelopeException("truncated varint", (int) position);
                }
                position++;
                value |= (long) (b & 0x7F) << shift;
            }
            return value;
        }

        private int length() throws IOException {
            int first = in.read();
            if (first < 0) {
                throw new MalformedEnvelopeException("truncated length", (int) position);
            }
            position++;
            long length = varint(first);
            if (length > Integer.MAX_VALUE - 16 || knownLength && length > in.available()) {
                throw new MalformedEnvelopeException("length-delimited field past the end", (int) position);
            }
            return (int) length;
        }

        byte[] bytes() throws IOException {
            int length = length();
            byte[] bytes = knownLength ? new byte[length] : null;
            if (bytes != null) {
                if (in.readNBytes(bytes, 0, length) != length) {
                    throw new MalformedEnvelopeException("field past the end", (int) position);
                }
            } else {
                bytes = in.readNBytes(length);
                if (bytes.length != length) {
                    throw new MalformedEnvelopeException("field past the end", (int) position);
                }
            }
            position += length;
            return bytes;
        }

        void skipValue(int tag) throws IOException {
            if ((tag & 7) == WireReader.START_GROUP) {
                skipGroup(tag >>> 3, 1);
                return;
            }
            long count = switch (tag & 7) {
                case WireReader.VARINT -> {
                    int first = in.read();
                    if (first < 0) {
                        throw new MalformedEnvelopeException("truncated varint", (int) position);
                    }
                    position++;
                    varint(first);
                    yield 0;
                }
                case WireReader.FIXED64 -> 8;
                case WireReader.FIXED32 -> 4;
                default -> length();
            };
            if (count > 0) {
                if (knownLength && count > in.available()) {
                    throw new MalformedEnvelopeException("field past the end", (int) position);
                }
                try {
                    in.skipNBytes(count);
                } catch (EOFException e) {
                    throw new MalformedEnvelopeException("field past the end", (int) position);
                }
                position += count;
            }
        }
    }

    /**
     * A batch (or one envelope) as a stream gRPC drains into its buffers: the frames are written from the
     * envelopes' bytes when gRPC asks, and only a reader that reads byte by byte gets a copy.
     */
    private static final class Framed extends InputStream implements Drainable, KnownLength {
        private final List<EncodedEnvelope> envelopes;
        private final boolean framed;
        private int remaining;
        private ByteArrayInputStream copy;

        Framed(List<EncodedEnvelope> envelopes, boolean framed) {
            this.envelopes = envelopes;
            this.framed = framed;
            long size = framed ? batchSize(envelopes) : envelopes.get(0).size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a batch of " + size + " bytes cannot be one message");
            }
            this.remaining = (int) size;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            if (copy != null) {
                return (int) copy.transferTo(target);
            }
            int written = remaining;
            byte[] header = new byte[6];
            for (int i = 0, n = envelopes.size(); i < n; i++) {
                byte[] bytes = envelopes.get(i).bytes();
                if (framed) {
                    int length = bytes.length;
                    int h = 0;
                    header[h++] = (byte) BATCH_TAG;
                    while ((length & ~0x7F) != 0) {
                        header[h++] = (byte) ((length & 0x7F) | 0x80);
                        length >>>= 7;
                    }
                    header[h++] = (byte) length;
                    target.write(header, 0, h);
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
